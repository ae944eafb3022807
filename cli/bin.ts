#!/usr/bin/env node
import { CommanderError } from "commander";
import { loadRuntimeConfig, type RuntimeConfig } from "../sdk/config/runtime.js";
import { FeedbackTriageError } from "../sdk/errors.js";
import { createProgram } from "./program.js";

const EXIT_USER_ERROR = 1;
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<void> {
  // Parsed once, when the first command needs it: --help and usage errors work whatever the environment holds.
  let config: RuntimeConfig | undefined;
  const program = createProgram(() => {
    config ??= loadRuntimeConfig(process.env);
    return config;
  });
  try {
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

await main(process.argv);
