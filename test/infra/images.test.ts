import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/bundle.js";
import { BACKUP_COMMAND } from "../../infra/components/backup.js";
import { DASHBOARD_COMMAND } from "../../infra/components/dashboard.js";
import { MIGRATION_COMMAND } from "../../infra/components/migration.js";
import { WORKER_COMMAND } from "../../infra/components/worker.js";
import { parseSettings } from "../../infra/config.js";
import {
  copyArgs,
  dockerignore,
  linkNodeModules,
  parseDockerfile,
  type ReplayedStage,
  replayStage,
  runtimeImports,
  stageNamed,
} from "./support/dockerfile.js";

/**
 * Replays each image's build stage without a Docker engine: the files its COPY lines name, filtered by the
 * Dockerfile's own .dockerignore, are copied into an empty folder and its RUN lines run there, so a build
 * that reaches for a file the image does not copy (the worker compiling dashboard/ once did) fails here.
 *
 * One substitution: `npm ci` is replaced by a link to the repository's node_modules (installed by `npm ci`
 * from the same package-lock.json), since a real install takes over a minute and needs the registry. The
 * final stage installs production dependencies only (`npm ci --omit=dev`), so the compiled entry points'
 * imports are followed and every package they load must be a production dependency.
 * Not checked here: the base image, `ADD` of the RDS certificate bundle, and the image actually starting.
 */
const run = promisify(execFile);
/** The offline crew's worker thread (app/agents/offline/threaded-crew.ts loads it by URL, not by import). */
const CREW_THREAD = "dist/app/agents/offline/crew-thread.js";
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};
const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function replayBuild(dockerfile: string): Promise<ReplayedStage> {
  const into = await mkdtemp(path.join(tmpdir(), "image-build-"));
  folders.push(into);
  return replayStage({
    context: REPO_ROOT,
    dockerfile,
    stage: "build",
    into,
    run: async (command, workdir) => {
      if (/^npm ci\b/.test(command)) return linkNodeModules(REPO_ROOT, workdir);
      try {
        await run("sh", ["-c", command], {
          cwd: workdir,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
          maxBuffer: 16 * 1024 * 1024,
        });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`RUN ${command} failed in ${dockerfile}:\n${stdout ?? ""}\n${stderr ?? ""}`);
      }
    },
  });
}

/** What the final stage takes from the build stage, and its CMD. */
function finalStage(dockerfile: string) {
  const stages = parseDockerfile(readFileSync(path.join(REPO_ROOT, dockerfile), "utf8"));
  const last = stages.at(-1)!;
  const workdir = stageNamed(stages, "build").instructions.find((i) => i.keyword === "WORKDIR")?.args ?? "/";
  const fromBuild = last.instructions
    .filter((i) => i.keyword === "COPY")
    .map((i) => copyArgs(i.args))
    .filter((c) => c.flags.from === "build")
    .flatMap((c) => c.sources.map((source) => path.posix.relative(workdir, source)));
  const cmd = last.instructions.find((i) => i.keyword === "CMD")?.args;
  return { fromBuild, cmd: cmd ? (JSON.parse(cmd) as string[]) : undefined };
}

function expectRuntimeImportsResolve(imports: Awaited<ReturnType<typeof runtimeImports>>) {
  expect(imports.missing).toEqual([]);
  const notProduction = imports.packages.filter((name) => !(name in pkg.dependencies));
  expect(notProduction, "imported at run time but not a production dependency").toEqual([]);
}

describe("container images (build stages replayed from their COPY lines)", () => {
  it("reads a .dockerignore as Docker does: last match wins, a parent directory match counts", () => {
    const ignored = dockerignore("**\n!sdk/\n!app/\n**/*.test.ts\nsdk/db/generated/\n");
    expect(ignored("sdk/aws/queue.ts")).toBe(false);
    expect(ignored("app/x/y.ts")).toBe(false);
    expect(ignored("dashboard/server.ts")).toBe(true);
    expect(ignored("sdk/aws/queue.test.ts")).toBe(true);
    expect(ignored("sdk/db/generated/client.ts")).toBe(true);
  });

  it("fails a COPY whose source the .dockerignore leaves out, as docker build does", async () => {
    const into = await mkdtemp(path.join(tmpdir(), "image-build-"));
    folders.push(into);
    // infra/ is not in the worker image's context.
    const fake = path.join(into, "Dockerfile");
    await writeFile(fake, "FROM node AS build\nCOPY infra ./infra\n");
    await copyFile(path.join(REPO_ROOT, "worker/Dockerfile.dockerignore"), `${fake}.dockerignore`);
    await expect(
      replayStage({
        context: REPO_ROOT,
        dockerfile: path.relative(REPO_ROOT, fake),
        stage: "build",
        into: path.join(into, "app"),
        run: async () => undefined,
      }),
    ).rejects.toThrow(/COPY infra: not found in the build context/);
  });

  it("builds the worker image (worker, migration and backup tasks) from what worker/Dockerfile copies", async () => {
    const stage = await replayBuild("worker/Dockerfile");
    expect(stage.copied.some((file) => file.startsWith("dashboard/"))).toBe(false);
    expect(stage.copied.some((file) => file.endsWith(".test.ts"))).toBe(false);
    const { fromBuild, cmd } = finalStage("worker/Dockerfile");
    expect(cmd).toEqual(WORKER_COMMAND);
    for (const source of fromBuild) expect(existsSync(path.join(stage.workdir, source)), source).toBe(true);
    const entries = [WORKER_COMMAND[1]!, MIGRATION_COMMAND[1]!, BACKUP_COMMAND[1]!, CREW_THREAD];
    for (const entry of entries) expect(existsSync(path.join(stage.workdir, entry)), entry).toBe(true);
    expectRuntimeImportsResolve(await runtimeImports(stage.workdir, entries));
    expect(existsSync(path.join(stage.workdir, "prisma/migrations"))).toBe(true);
  }, 120_000);

  it("installs pg_dump for the backup task, of the PostgreSQL major the stack deploys by default", () => {
    // Not replayed (it needs apt and the network); pg_dump refuses a server newer than itself.
    const dockerfile = readFileSync(path.join(REPO_ROOT, "worker/Dockerfile"), "utf8");
    const major = /^ARG POSTGRES_CLIENT_MAJOR=(\d+)$/m.exec(dockerfile)?.[1];
    expect(major).toBe(parseSettings({}).dbEngineVersion.split(".")[0]);
    expect(dockerfile).toMatch(/apt-get install .*"postgresql-client-\$\{POSTGRES_CLIENT_MAJOR\}"/);
  });

  it("builds the dashboard image (server and web assets) from what dashboard/Dockerfile copies", async () => {
    const stage = await replayBuild("dashboard/Dockerfile");
    expect(stage.copied.some((file) => file.startsWith("cli/") || file.startsWith("worker/"))).toBe(false);
    const { fromBuild, cmd } = finalStage("dashboard/Dockerfile");
    expect(cmd).toEqual(DASHBOARD_COMMAND);
    for (const source of fromBuild) expect(existsSync(path.join(stage.workdir, source)), source).toBe(true);
    const entry = DASHBOARD_COMMAND[1]!;
    expect(existsSync(path.join(stage.workdir, entry))).toBe(true);
    expect(existsSync(path.join(stage.workdir, CREW_THREAD))).toBe(true);
    expect(existsSync(path.join(stage.workdir, "dist/dashboard/assets/manifest.json"))).toBe(true);
    expectRuntimeImportsResolve(await runtimeImports(stage.workdir, [entry, CREW_THREAD]));
  }, 120_000);
});
