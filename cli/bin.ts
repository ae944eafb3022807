#!/usr/bin/env node
// The entry point: Node's compile cache first (it speeds every later start, ~20% for --help), then the root help
// and --version without commander (cli/fast-path.ts), else the CLI itself, so that the cache covers all of it.
import module from "node:module";

module.enableCompileCache?.();
const { fastAnswer } = await import("./fast-path.js");
const terminalWidth = (stream: NodeJS.WriteStream) => (stream.isTTY ? stream.columns : undefined);
const answer = fastAnswer(process.argv.slice(2), {
  stdout: terminalWidth(process.stdout),
  stderr: terminalWidth(process.stderr),
});
if (answer) {
  process[answer.stream].write(answer.text);
  process.exitCode = answer.exitCode;
} else await import("./main.js");
