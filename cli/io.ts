import type { z } from "zod";

/** Ink only on an interactive terminal: never for --json, pipes or CI (`ci`: the CI variable is set). */
export function isInteractive(json: boolean, ci: boolean): boolean {
  return !json && Boolean(process.stdout.isTTY) && !ci;
}

/** Validates against the published contract before printing, so scripts never see a drifting shape. */
export function printJson<S extends z.ZodType>(schema: S, data: z.input<S>): void {
  const value = schema.parse(data);
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The terminal's width when stdout is one; undefined when piped (text is then printed whole). */
export function terminalColumns(): number | undefined {
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}

export function printText(text: string): void {
  process.stdout.write(`${text}\n`);
}

// A closed pipe (`feedback-cli tickets list | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
