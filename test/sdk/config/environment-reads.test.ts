import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../support/cli.js";

/** The product's code: every module below an entry point gets its settings passed down. */
const FOLDERS = ["sdk", "cli", "dashboard", "worker"];
const SKIPPED = /^(sdk\/db\/generated|dashboard\/web)\//;

/** The configuration module, and the entry points that parse the environment once and pass it down. */
const CONFIGURATION_MODULE = "sdk/config/runtime.ts";
const ENTRY_POINTS = [
  "cli/main.ts",
  "dashboard/server.ts",
  "worker/main.ts",
  "worker/handlers/ingestion-lambda.ts",
  "worker/handlers/s3-upload-lambda.ts",
  "worker/handlers/ses-lambda.ts",
  "worker/handlers/webhook-lambda.ts",
  "worker/handlers/tickets-lambda.ts",
  "worker/handlers/tracker-events-lambda.ts",
  "worker/handlers/store-pull-lambda.ts",
  // The migration task's container entry (its DB_* settings come from the task definition), moved here from infra/tasks by #10.
  "worker/tasks/migrate.ts",
  // The nightly backup task's container entry (DATABASE_URL, the bucket and the region from the task definition).
  "worker/tasks/backup.ts",
  // Starts the dashboard's entry point as a child process: passes the environment on with its flags added.
  "cli/commands/dashboard.ts",
];

async function sourceFiles(): Promise<{ file: string; text: string }[]> {
  const files: { file: string; text: string }[] = [];
  for (const folder of FOLDERS) {
    for (const entry of await readdir(path.join(repoRoot, folder), { recursive: true })) {
      const file = `${folder}/${entry.split(path.sep).join("/")}`;
      if (!/\.(ts|tsx|mts|js|mjs)$/.test(file) || SKIPPED.test(file)) continue;
      files.push({ file, text: await readFile(path.join(repoRoot, file), "utf8") });
    }
  }
  return files;
}

describe("reading the environment", () => {
  it("happens only in the configuration module and the entry points", async () => {
    const allowed = new Set([CONFIGURATION_MODULE, ...ENTRY_POINTS]);
    const readers = (await sourceFiles()).filter(
      ({ file, text }) => !allowed.has(file) && text.includes("process.env"),
    );
    expect(
      readers.map((r) => r.file),
      "add the setting to sdk/config (loadRuntimeConfig) and pass it down from the entry point",
    ).toEqual([]);
  });

  it("is parsed into the runtime configuration by the entry points only", async () => {
    const parsers = (await sourceFiles()).filter(
      ({ file, text }) =>
        file !== CONFIGURATION_MODULE && !ENTRY_POINTS.includes(file) && /loadRuntimeConfig\(/.test(text),
    );
    expect(
      parsers.map((p) => p.file),
      "take the configuration (or the slice needed) as a parameter instead",
    ).toEqual([]);
  });
});
