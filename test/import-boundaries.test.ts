import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_VIOLATIONS, type KnownViolation } from "../.dependency-cruiser.mjs";
import { repoRoot } from "./support/cli.js";

const run = promisify(execFile);
const depcruise = path.join(repoRoot, "node_modules/.bin/depcruise");
const configPath = path.join(repoRoot, ".dependency-cruiser.mjs");
/** The folders `npm run lint:boundaries` checks, read from package.json so the two cannot drift apart. */
const SOURCE_FOLDERS = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8"))
  .scripts["lint:boundaries"].match(/^depcruise ((?:[\w-]+ )+)--config/)[1]
  .trim()
  .split(" ") as string[];

interface Violation {
  from: string;
  to: string;
  rule: string;
}

async function depcruiseIn(cwd: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return run(depcruise, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).then(
    (done) => ({ code: 0, stdout: done.stdout }),
    (failed: { code: number; stdout: string }) => ({ code: failed.code, stdout: failed.stdout }),
  );
}

/** The violations dependency-cruiser finds in the given folders. */
async function cruise(cwd: string, folders: string[], config = configPath) {
  const { stdout } = await depcruiseIn(cwd, [...folders, "--config", config, "--output-type", "json"]);
  const violations = JSON.parse(stdout).summary.violations as Array<
    Omit<Violation, "rule"> & { rule: { name: string } }
  >;
  return violations.map(({ from, to, rule }) => ({ from, to, rule: rule.name }));
}

/** The exit code of the check as CI runs it (`npm run lint:boundaries`). */
async function exitCodeOfCheck(cwd: string, folders: string[]): Promise<number> {
  return (await depcruiseIn(cwd, [...folders, "--config", configPath, "--output-type", "err-long"])).code;
}

/** A scratch tree with the repository's layout: each file imports the given modules. */
async function scratchTree(files: Record<string, string[]>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "boundaries-"));
  await writeFile(
    path.join(root, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
  );
  for (const [file, imports] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    const lines = imports.map((target, i) => {
      const specifier = path.relative(path.dirname(file), target).replace(/\.ts$/, ".js");
      return `import * as m${i} from "${specifier.startsWith(".") ? specifier : `./${specifier}`}";\nvoid m${i};`;
    });
    await writeFile(path.join(root, file), `${lines.join("\n")}\nexport const here = 1;\n`);
  }
  return root;
}

describe("import boundaries", () => {
  const scratch: string[] = [];
  afterAll(async () => {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function scratchWith(files: Record<string, string[]>) {
    const root = await scratchTree(files);
    scratch.push(root);
    return { root, folders: [...new Set(Object.keys(files).map((file) => file.split("/")[0] as string))] };
  }

  async function cruiseScratch(files: Record<string, string[]>, known?: KnownViolation[]) {
    const { root, folders } = await scratchWith(files);
    return cruise(root, folders, known ? await configAllowing(known) : configPath);
  }

  /** The repository's rules with the given recorded exceptions instead of its own. */
  async function configAllowing(known: KnownViolation[]): Promise<string> {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "boundaries-config-")), "config.mjs");
    scratch.push(path.dirname(file));
    await writeFile(
      file,
      `import { forbiddenRules, options } from ${JSON.stringify(configPath)};\n` +
        `export default { forbidden: forbiddenRules(${JSON.stringify(known)}), options };\n`,
    );
    return file;
  }

  describe("on the repository", () => {
    let withoutExceptions: Violation[];
    beforeAll(async () => {
      withoutExceptions = await cruise(repoRoot, SOURCE_FOLDERS, await configAllowing([]));
    });

    it("passes: no import breaks a rule beyond the recorded exceptions", async () => {
      expect(await cruise(repoRoot, SOURCE_FOLDERS)).toEqual([]);
      expect(await exitCodeOfCheck(repoRoot, SOURCE_FOLDERS)).toBe(0);
    });

    it("records every exception against an import that still exists, so a fixed one must be deleted", () => {
      const stale = KNOWN_VIOLATIONS.filter(
        (known) =>
          !withoutExceptions.some(
            (v) => v.rule === known.rule && new RegExp(known.from).test(v.from) && new RegExp(known.to).test(v.to),
          ),
      );
      expect(stale).toEqual([]);
    });

    it("names the issue that removes each recorded exception", () => {
      for (const known of KNOWN_VIOLATIONS) expect(known.issue).toMatch(/^#\d+$/);
    });
  });

  describe("on a deliberate violation", () => {
    it("fails the check when sdk/ imports a front end", async () => {
      const { root, folders } = await scratchWith({ "sdk/leak.ts": ["cli/io.ts"], "cli/io.ts": [] });
      expect(await cruise(root, folders)).toEqual([
        { from: "sdk/leak.ts", to: "cli/io.ts", rule: "sdk-imports-only-sdk" },
      ]);
      expect(await exitCodeOfCheck(root, folders)).not.toBe(0);
    });

    it("fails when one front end imports another, in either direction", async () => {
      const violations = await cruiseScratch({
        "dashboard/server/page.ts": ["worker/handlers/webhook.ts"],
        "worker/handlers/webhook.ts": ["cli/io.ts"],
        "cli/io.ts": [],
      });
      expect(violations.map((v) => `${v.from} -> ${v.to}: ${v.rule}`).sort()).toEqual([
        "dashboard/server/page.ts -> worker/handlers/webhook.ts: front-ends-stay-apart",
        "worker/handlers/webhook.ts -> cli/io.ts: front-ends-stay-apart",
      ]);
    });

    it("lets a front end use its own modules, the app layer and sdk/", async () => {
      const violations = await cruiseScratch({
        "cli/commands/list.ts": ["cli/io.ts", "app/tickets.ts", "sdk/ports/tickets.ts"],
        "cli/io.ts": [],
        "app/tickets.ts": ["sdk/ports/tickets.ts"],
        "sdk/ports/tickets.ts": [],
      });
      expect(violations).toEqual([]);
    });

    it("fails when the application layer imports a front end or reaches sdk/db", async () => {
      const violations = await cruiseScratch({
        "app/worker/pipeline.ts": ["worker/handlers/webhook.ts", "sdk/db/pool.ts"],
        "worker/handlers/webhook.ts": [],
        "sdk/db/pool.ts": [],
      });
      expect(violations.map((v) => v.rule).sort()).toEqual(["app-imports-only-sdk", "database-behind-ports"]);
    });

    it("lets the migration task (worker/tasks/) reach the database only through sdk/migrations.ts", async () => {
      const violations = await cruiseScratch({
        "worker/tasks/migrate.ts": ["sdk/migrations.ts", "sdk/db/migrate.ts"],
        "sdk/migrations.ts": ["sdk/db/migrate.ts"],
        "sdk/db/migrate.ts": [],
      });
      expect(violations).toEqual([
        { from: "worker/tasks/migrate.ts", to: "sdk/db/migrate.ts", rule: "database-behind-ports" },
      ]);
    });

    it("counts worker/tasks/ as the worker's front end: other front ends and the app layer stay out", async () => {
      const violations = await cruiseScratch({
        "dashboard/server/page.ts": ["worker/tasks/app-role.ts"],
        "app/worker/pipeline.ts": ["worker/tasks/app-role.ts"],
        "worker/tasks/migrate.ts": ["worker/tasks/app-role.ts", "app/worker/pipeline.ts"],
        "worker/tasks/app-role.ts": [],
      });
      expect(violations.map((v) => `${v.from} -> ${v.to}: ${v.rule}`).sort()).toEqual([
        "app/worker/pipeline.ts -> worker/tasks/app-role.ts: app-imports-only-sdk",
        "dashboard/server/page.ts -> worker/tasks/app-role.ts: front-ends-stay-apart",
      ]);
    });

    it("fails when infra/ imports the product's code", async () => {
      const violations = await cruiseScratch({
        "infra/stack.ts": ["sdk/schemas/events.ts"],
        "sdk/schemas/events.ts": [],
      });
      expect(violations).toEqual([{ from: "infra/stack.ts", to: "sdk/schemas/events.ts", rule: "infra-stands-apart" }]);
    });

    it("lets a recorded exception through but fails a new import from the same file", async () => {
      const known = {
        rule: "front-ends-stay-apart",
        from: "^dashboard/server/contract\\.ts$",
        to: "^cli/output-schemas\\.ts$",
        issue: "#1",
      };
      const violations = await cruiseScratch(
        {
          "dashboard/server/contract.ts": ["cli/output-schemas.ts", "cli/io.ts"],
          "cli/output-schemas.ts": [],
          "cli/io.ts": [],
        },
        [known],
      );
      expect(violations).toEqual([
        { from: "dashboard/server/contract.ts", to: "cli/io.ts", rule: "front-ends-stay-apart" },
      ]);
    });
  });
});
