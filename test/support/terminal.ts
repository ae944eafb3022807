import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { cliPath } from "./cli.js";

export const TMUX = "/usr/bin/tmux";
/** Terminal tests need tmux; without it they are skipped, saying so. */
export const hasTmux = existsSync(TMUX);
/** A terminal test starts the CLI (and its database) on a busy machine: more time than the default test's. */
export const TERMINAL_TEST_MS = 180_000;

const run = promisify(execFile);
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
let sessions = 0;

export interface TerminalRun {
  /** Everything the terminal showed, scrollback included, once the command had exited. */
  screen: string;
  code: number;
}

/**
 * Runs feedback-cli on a real pseudo-terminal (a detached tmux session of its own, 200x50), types `answer` and
 * Enter once the screen shows `question`, and waits for it to exit. As `runCli`: offline agents, no API key,
 * the workspace's DATABASE_URL if any; CI unset, since with CI set nothing is asked.
 */
export async function answerOnTerminal(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; question: RegExp; answer: string; timeoutMs?: number },
): Promise<TerminalRun> {
  const socket = `ft-terminal-${process.pid}-${++sessions}`;
  const tmux = (...tmuxArgs: string[]) => run(TMUX, ["-L", socket, ...tmuxArgs]);
  const screen = async () => (await tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", "cli")).stdout;
  const variables = Object.entries({ ANTHROPIC_API_KEY: "", FEEDBACK_TRIAGE_AGENTS: "offline", ...options.env })
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${quote(value!)}`);
  const unset = ["CI", "FEEDBACK_DATA_DIR", ...(options.env?.DATABASE_URL ? [] : ["DATABASE_URL"])];
  const command = [
    "env",
    ...unset.flatMap((name) => ["-u", name]),
    ...variables,
    quote(process.execPath),
    quote(cliPath),
    ...args.map(quote),
  ].join(" ");
  const deadline = Date.now() + (options.timeoutMs ?? 150_000);
  const waitFor = async (pattern: RegExp) => {
    let last = "";
    while (Date.now() < deadline) {
      last = await screen();
      if (pattern.test(last)) return last;
      await sleep(100);
    }
    throw new Error(`The terminal never showed ${pattern}; it shows:\n${last}`);
  };
  try {
    await tmux(
      "new-session",
      "-d",
      "-s",
      "cli",
      "-x",
      "200",
      "-y",
      "50",
      "-c",
      options.cwd,
      `${command}; echo "EXIT=$?"; sleep 60`,
    );
    await waitFor(options.question);
    await tmux("send-keys", "-t", "cli", options.answer, "Enter");
    const shown = await waitFor(/EXIT=\d+/);
    return { screen: shown, code: Number(/EXIT=(\d+)/.exec(shown)![1]) };
  } finally {
    await tmux("kill-server").catch(() => undefined);
  }
}
