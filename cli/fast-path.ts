import { rootHelpText, VERSION } from "./root-help.js";

/** What a command line answers without loading commander: where it goes and the exit code. */
export interface FastAnswer {
  stream: "stdout" | "stderr";
  text: string;
  exitCode: number;
}

const ROOT_HELP = new Set(["--help", "-h", "help"]);
const VERSION_FLAGS = new Set(["--version", "-V"]);
const EXIT_USAGE = 2;

/**
 * The answer to the root help (`--help`, `-h`, `help`), `--version` and no arguments at all (the help on stderr,
 * a usage error, as commander gives it), or null for every other command line (commander parses it). `columns`
 * is the terminal's width of the stream the answer goes to (undefined when not a terminal: 80).
 */
export function fastAnswer(
  args: readonly string[],
  columns: { stdout?: number; stderr?: number } = {},
): FastAnswer | null {
  if (args.length === 0) return { stream: "stderr", text: rootHelpText(columns.stderr), exitCode: EXIT_USAGE };
  if (args.length !== 1) return null;
  const [arg] = args as [string];
  if (ROOT_HELP.has(arg)) return { stream: "stdout", text: rootHelpText(columns.stdout), exitCode: 0 };
  if (VERSION_FLAGS.has(arg)) return { stream: "stdout", text: `${VERSION}\n`, exitCode: 0 };
  return null;
}
