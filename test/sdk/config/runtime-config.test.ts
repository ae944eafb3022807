import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { loadRuntimeConfig, RUNTIME_VARIABLES, showRuntimeConfig } from "../../../sdk/config/runtime.js";
import { DEFAULT_DATA_DIR_NAME } from "../../../sdk/db/data-dir.js";
import { ConfigurationError } from "../../../sdk/errors.js";
import { repoRoot } from "../../support/cli.js";

function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("loadRuntimeConfig", () => {
  it("applies the defaults to an empty environment", () => {
    const config = loadRuntimeConfig({}, { cwd: "/srv/app" });
    expect(config.backend).toEqual({
      mode: "local",
      databaseUrl: null,
      databaseReaderUrl: null,
      dataDir: path.join("/srv/app", DEFAULT_DATA_DIR_NAME),
      artifactsDir: null,
      migrations: "apply",
      databaseSslMode: "no-verify",
    });
    expect(config.aws).toEqual({ settings: {}, stackOutputsFile: null, maxAttempts: 5, retryMode: "adaptive" });
    expect(config.agents).toMatchObject({ mode: null, anthropicApiKey: null, claudeModel: null, redactPii: true });
    expect(config.worker).toEqual({
      batchSize: 10,
      visibilityTimeoutSeconds: 300,
      waitTimeMs: 20_000,
      shutdownGraceMs: 90_000,
      healthPort: 8080,
      healthHost: "0.0.0.0",
    });
    expect(config.dashboard).toMatchObject({ host: "0.0.0.0", port: 3000, auth: "none", localUser: "operator" });
    expect(config.mail.prefix).toBe("mail/");
    expect(config.log.level).toBe("info");
    expect(config.cli.ci).toBe(false);
  });

  it("resolves FEEDBACK_DATA_DIR against the working directory", () => {
    const config = loadRuntimeConfig({ FEEDBACK_DATA_DIR: "data/ft" }, { cwd: "/srv/app" });
    expect(config.backend.dataDir).toBe(path.resolve("/srv/app/data/ft"));
  });

  it("treats an empty variable as unset", () => {
    const config = loadRuntimeConfig({ DATABASE_URL: "", FEEDBACK_WORKER_BATCH_SIZE: " ", CI: "" });
    expect(config.backend.databaseUrl).toBeNull();
    expect(config.worker.batchSize).toBe(10);
    expect(config.cli.ci).toBe(false);
  });

  it("reads typed values: numbers, choices, yes/no", () => {
    const config = loadRuntimeConfig({
      FEEDBACK_WORKER_BATCH_SIZE: "25",
      FEEDBACK_TRIAGE_AGENTS: "Claude",
      CLAUDE_REDACT_PII: "off",
      FEEDBACK_LOG_LEVEL: "warn",
    });
    expect(config.worker.batchSize).toBe(25);
    expect(config.agents.mode).toBe("claude");
    expect(config.agents.redactPii).toBe(false);
    expect(config.log.level).toBe("warn");
  });

  it("gives the worker's health check FEEDBACK_HEALTH_PORT, else PORT (the container's), else 8080", () => {
    expect(loadRuntimeConfig({ PORT: "9000" }).worker.healthPort).toBe(9000);
    expect(loadRuntimeConfig({ PORT: "9000", FEEDBACK_HEALTH_PORT: "9100" }).worker.healthPort).toBe(9100);
  });

  it("is in AWS mode with FEEDBACK_BACKEND=aws, where the dashboard signs users in through the ALB", () => {
    const config = loadRuntimeConfig({ FEEDBACK_BACKEND: "aws", AWS_REGION: "eu-west-1" });
    expect(config.backend.mode).toBe("aws");
    expect(config.dashboard).toMatchObject({ auth: "alb", albRegion: "eu-west-1" });
  });

  it("takes AWS settings from the stack outputs file, the variables winning", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "ft-runtime-config-"));
    await writeFile(
      path.join(dir, "stack.json"),
      JSON.stringify({ region: "eu-west-1", eventBusName: "bus", uploadsBucketName: "uploads" }),
    );
    const config = loadRuntimeConfig(
      { FEEDBACK_STACK_OUTPUTS: "stack.json", FEEDBACK_EVENT_BUS: "other" },
      { cwd: dir },
    );
    expect(config.backend.mode).toBe("aws");
    expect(config.aws.stackOutputsFile).toBe(path.join(dir, "stack.json"));
    expect(config.aws.settings).toMatchObject({ region: "eu-west-1", eventBusName: "other" });
    expect(config.mail.bucket).toBe("uploads");
  });

  it("names a bad value's variable and how to fix it", () => {
    const error = errorOf(() => loadRuntimeConfig({ FEEDBACK_WORKER_BATCH_SIZE: "ten" }));
    expect(error.message).toBe(
      'Invalid configuration: FEEDBACK_WORKER_BATCH_SIZE "ten" is not a whole number from 1 to 1,000',
    );
    expect(error.hint).toBe(
      "Set FEEDBACK_WORKER_BATCH_SIZE to the messages per receive, 1-1000 (default 10), or unset it.",
    );
  });

  it("reports every bad variable at once", () => {
    const error = errorOf(() =>
      loadRuntimeConfig({ FEEDBACK_BACKEND: "cloud", PORT: "http", FEEDBACK_LOG_LEVEL: "loud" }),
    );
    expect(error.message).toMatch(/FEEDBACK_BACKEND "cloud" is not one of aws, local, embedded, postgres/);
    expect(error.message).toMatch(/PORT "http" is not a whole number from 0 to 65,535/);
    expect(error.message).toMatch(/FEEDBACK_LOG_LEVEL "loud" is not one of debug, info, warn, error, silent/);
  });

  it("never echoes a secret's value in an error", () => {
    const error = errorOf(() => loadRuntimeConfig({ DATABASE_URL: "mysql://feed:hunter2@db/feedback" }));
    expect(error.message).toMatch(/DATABASE_URL \(value hidden\) is not a PostgreSQL URL/);
    expect(`${error.message} ${error.hint}`).not.toContain("hunter2");
  });
});

describe("the configuration shown", () => {
  const config = loadRuntimeConfig({
    DATABASE_URL: "postgres://feed:hunter2@db.internal:5432/feedback",
    ANTHROPIC_API_KEY: "sk-ant-secret-key",
    FEEDBACK_WEBHOOK_SECRET_GENERIC: "whsec-generic",
  });

  it("redacts API keys, signing secrets and the password in a database URL", () => {
    const shown = showRuntimeConfig(config);
    expect(shown.backend.databaseUrl).toBe("postgres://feed:***@db.internal:5432/feedback");
    expect(shown.agents.anthropicApiKey).toBe("***");
    expect(shown.webhooks.secrets).toEqual({ zendesk: null, intercom: null, generic: "***" });
  });

  it("keeps secrets out of JSON, strings and console output of the configuration itself", () => {
    for (const text of [JSON.stringify(config), inspect(config, { depth: 10 }), `${config.agents.anthropicApiKey}`]) {
      expect(text).not.toMatch(/hunter2|sk-ant-secret-key|whsec-generic/);
    }
  });

  it("gives the code that uses a secret its value", () => {
    expect(config.credentialEnv.ANTHROPIC_API_KEY).toBe("sk-ant-secret-key");
    expect(config.agents.anthropicApiKey?.reveal()).toBe("sk-ant-secret-key");
    expect(config.backend.databaseUrl?.reveal()).toBe("postgres://feed:hunter2@db.internal:5432/feedback");
  });
});

describe("the README's configuration table", () => {
  it("documents every variable the configuration reads", () => {
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const start = readme.indexOf("\n## Configuration\n");
    const table = readme.slice(start, readme.indexOf("\n## ", start + 1));
    expect(RUNTIME_VARIABLES.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });
});
