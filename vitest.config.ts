import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Tests never reach a real model API, whatever the developer's shell has set.
    env: { ANTHROPIC_API_KEY: "", FEEDBACK_TRIAGE_AGENTS: "offline" },
    isolate: true,
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
