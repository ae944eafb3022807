import { createInterface } from "node:readline/promises";

/** A person can answer: stdin and stderr are a terminal, and not in CI. */
export const canAsk = (ci: boolean) => Boolean(process.stdin.isTTY && process.stderr.isTTY) && !ci;

/** Shows `question` on stderr and asks "Proceed? [y/N]"; only y / yes is a yes. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question}\nProceed? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
