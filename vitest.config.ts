import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["test/support/global-setup.ts"],
    // Tests never reach a real model API, whatever the developer's shell has set.
    env: { ANTHROPIC_API_KEY: "", FEEDBACK_TRIAGE_AGENTS: "offline" },
    isolate: true,
    pool: "forks",
    // Most suites wait on child processes and databases rather than compute: one worker per core
    // (vitest's default leaves one core idle) took the suite from 344 s to 222 s on 2 cores.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
