import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainQueue } from "../../app/worker/worker-service.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openBackend } from "../../sdk/open-backend.js";
import { cliPath } from "../support/cli.js";
import { testBackend } from "../support/database.js";

const TMUX = "/usr/bin/tmux";
const run = promisify(execFile);

/**
 * `dlq replay` without --id / --all on a real terminal: tmux gives the CLI a 120x30 pseudo-terminal, the test
 * types into it and reads the screen. CI is unset for the CLI only (with CI set there is no interactive view).
 */
describe.skipIf(!existsSync(TMUX) || testBackend === "postgres")(
  `feedback-cli dlq replay picker in a real terminal (tmux)${existsSync(TMUX) ? "" : ": skipped, /usr/bin/tmux is not installed"}`,
  () => {
    const socket = `ft-dlq-${process.pid}`;
    const tmux = (...args: string[]) => run(TMUX, ["-L", socket, ...args]);
    const screen = async () => (await tmux("capture-pane", "-p", "-t", "picker")).stdout;
    let cwd: string;
    let poisonId: string;

    async function waitForScreen(pattern: RegExp, read = screen, timeoutMs = 30_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      let last = "";
      while (Date.now() < deadline) {
        last = await read();
        if (pattern.test(last)) return last;
        await sleep(100);
      }
      throw new Error(`The screen never showed ${pattern}; it shows:\n${last}`);
    }

    beforeAll(async () => {
      cwd = await mkdtemp(path.join(tmpdir(), "ft-dlq-tmux-"));
      const config = loadRuntimeConfig({});
      const backend = await openBackend({ config, dataDir: path.join(cwd, ".feedback-triage") });
      try {
        [poisonId] = (await backend.queue.send([{ body: { kind: "something-else" } }])) as [string];
        await drainQueue(backend, { agents: "offline", agentsConfig: config.agents });
      } finally {
        await backend.close();
      }
    });
    afterAll(async () => {
      await tmux("kill-server").catch(() => undefined);
    });

    it("exits 130 on Ctrl-C with the terminal restored, the dead letter left where it was", async () => {
      const command = `S=$(stty -g); env -u CI -u DATABASE_URL -u FEEDBACK_DATA_DIR ANTHROPIC_API_KEY= FEEDBACK_TRIAGE_AGENTS=offline '${process.execPath}' '${cliPath}' dlq replay; echo "EXIT=$?"; [ "$(stty -g)" = "$S" ] && echo TTY=restored; sleep 60`;
      await tmux("new-session", "-d", "-s", "interrupted", "-x", "120", "-y", "30", "-c", cwd, command);
      const screenOf = async () => (await tmux("capture-pane", "-p", "-t", "interrupted")).stdout;
      await waitForScreen(/Dead letters: 1 of 1/, screenOf);
      await tmux("send-keys", "-t", "interrupted", "C-c");
      expect(await waitForScreen(/TTY=restored/, screenOf)).toContain("EXIT=130");

      const backend = await openBackend({ config: loadRuntimeConfig({}), dataDir: path.join(cwd, ".feedback-triage") });
      try {
        expect(await backend.dlq.depth()).toBe(1);
      } finally {
        await backend.close();
      }
    });

    it("picks the dead letter, asks, replays it and shows the result", async () => {
      const command = `env -u CI -u DATABASE_URL -u FEEDBACK_DATA_DIR ANTHROPIC_API_KEY= FEEDBACK_TRIAGE_AGENTS=offline '${process.execPath}' '${cliPath}' dlq replay; echo "EXIT=$?"; sleep 60`;
      await tmux("new-session", "-d", "-s", "picker", "-x", "120", "-y", "30", "-c", cwd, command);

      const list = await waitForScreen(/Dead letters: 1 of 1/);
      expect(list).toContain(poisonId.slice(0, 8));
      expect(list).toMatch(/Invalid message body/);

      await tmux("send-keys", "-t", "picker", "Space");
      await waitForScreen(/1 selected/);
      await tmux("send-keys", "-t", "picker", "Enter");
      await waitForScreen(/Replay 1 dead letter to the processing queue\? \[y\/N\]/);
      await tmux("send-keys", "-t", "picker", "y");
      expect(await waitForScreen(/replayed/)).toContain(`✔ ${poisonId} replayed`);
      await tmux("send-keys", "-t", "picker", "q");
      await waitForScreen(/EXIT=0/);

      const backend = await openBackend({ config: loadRuntimeConfig({}), dataDir: path.join(cwd, ".feedback-triage") });
      try {
        expect(await backend.dlq.depth()).toBe(0);
        expect(await backend.queue.depth()).toMatchObject({ visible: 1 });
      } finally {
        await backend.close();
      }
    });
  },
);
