import { CommanderError } from "commander";
import type { RuntimeConfig } from "../sdk/config/runtime.js";
import { FeedbackTriageError } from "../sdk/errors.js";
import { colourEnvironment } from "./colour.js";
import { invokedCommand, profileFlag } from "./command-list.js";
import { createProgram } from "./program.js";

const EXIT_USER_ERROR = 1;
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<void> {
  // Before any command (and so Ink's chalk) loads: chalk reads FORCE_COLOR once, when it is imported.
  const colour = colourEnvironment(process.env, argv.slice(2));
  if (colour.FORCE_COLOR !== process.env.FORCE_COLOR) process.env.FORCE_COLOR = colour.FORCE_COLOR;
  if (!("NO_COLOR" in colour)) delete process.env.NO_COLOR;
  // Parsed once, when the first command needs it: --help and usage errors work whatever the environment holds.
  // Imported only when a command runs (the schemas cost more start-up time than all of --help).
  const runtime = invokedCommand(argv.slice(2)) ? await import("../sdk/config/runtime.js") : null;
  let config: RuntimeConfig | undefined;
  const loadConfig = () => {
    if (!runtime) throw new Error("internal: a command ran that cli/command-list.ts did not name");
    config ??= runtime.loadRuntimeConfig(process.env);
    return config;
  };
  try {
    // A profile's settings go into the environment itself: the AWS SDK reads AWS_PROFILE and AWS_REGION from there.
    const profile = profileFlag(argv.slice(2)) ?? process.env.FEEDBACK_PROFILE;
    if (profile && runtime) {
      const { profileEnvironment } = await import("../sdk/config/profiles.js");
      Object.assign(process.env, profileEnvironment(process.env, profile));
    }
    const program = await createProgram(loadConfig, argv);
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version exit through here with code 0.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof FeedbackTriageError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    return EXIT_USER_ERROR;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`error: unexpected failure: ${message}\n  Please report this with the command you ran.\n`);
  return EXIT_USER_ERROR;
}

let settled = false;
// Node exits with code 13 and a bare warning when the event loop empties while main() still awaits: say what
// happened in our words instead (a wait that nothing can end is a bug to report).
process.once("beforeExit", () => {
  if (settled) return;
  process.stderr.write(
    `error: internal: the command stopped while waiting for an operation that could not finish (${process.getActiveResourcesInfo().join(", ") || "nothing left running"}).\n  Please report this with the command you ran; re-running it is safe (duplicates are skipped).\n`,
  );
  process.exit(EXIT_USER_ERROR);
});
// A rejection nothing handled is a bug, but the operator still gets the error in our words (a FeedbackTriageError
// with its hint, e.g. a database owner that went away) instead of Node's dump of the source line and stack.
process.on("unhandledRejection", (reason) => {
  process.exit(exitCodeFor(reason));
});
await main(process.argv);
settled = true;
