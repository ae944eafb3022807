import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../sdk/db/open-database.js";
import { readOwner } from "../../../sdk/db/owner-lock.js";
import { compileForChild } from "./compile-for-child.js";
import { migratedDataDir, removeTempDirs, tempDir } from "./embedded-folder.js";

const fixture = path.join(import.meta.dirname, "fixtures/insert-through-socket.mjs");

function runChild(dataDir: string, label: string, transactions: number): Promise<string> {
  const child = spawn(process.execPath, [fixture, dataDir, label, String(transactions)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`child ${label} exited ${code}: ${err}`)),
    ),
  );
}

describe("two processes on one embedded folder", () => {
  afterAll(removeTempDirs);

  it("recovers every committed row after the owner process is killed with SIGKILL, and takes its lock over", async () => {
    const dataDir = await migratedDataDir();
    const compiled = await tempDir("ft-compiled-");
    await compileForChild(compiled, ["sdk/errors.ts", "sdk/db"]);
    const child = spawn(
      process.execPath,
      [
        path.join(import.meta.dirname, "fixtures/own-and-write.mjs"),
        path.join(compiled, "sdk/db/open-database.js"),
        dataDir,
        "1000",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk) => String(chunk).includes("committed") && resolve());
      child.on("exit", (code) => reject(new Error(`owner child exited ${code}: ${stderr}`)));
    });
    expect(await readOwner(dataDir)).toMatchObject({
      pid: child.pid,
      command: "own-and-write",
      port: expect.any(Number),
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    const db = await openDatabase({ dataDir, role: "owner" });
    expect(db.isOwner).toBe(true);
    expect((await db.sql.query("SELECT count(*)::int AS c FROM killed_owner_rows")).rows).toEqual([{ c: 1000 }]);
    expect(await db.prisma.configuration.findUnique({ where: { key: "written-before-kill" } })).toMatchObject({
      value: 1000,
    });
    await db.close();
  });

  it("keeps every row written by the owner and by child processes through its socket, across a reopen", async () => {
    const dataDir = await migratedDataDir();
    const owner = await openDatabase({ dataDir });
    expect(owner.kind).toBe("pglite");
    expect((await readOwner(dataDir))?.port).toEqual(expect.any(Number));
    await owner.sql.exec(
      "CREATE TABLE shared_rows (id serial PRIMARY KEY, label text NOT NULL, n int NOT NULL, UNIQUE (label, n))",
    );

    const children = [runChild(dataDir, "child-a", 150), runChild(dataDir, "child-b", 150)];
    for (let i = 0; i < 150; i++) {
      await owner.sql.transaction(async (tx) => {
        await tx.query("INSERT INTO shared_rows (label, n) VALUES ($1, $2)", ["owner", 2 * i]);
        await tx.query("INSERT INTO shared_rows (label, n) VALUES ($1, $2)", ["owner", 2 * i + 1]);
      });
    }
    expect(await Promise.all(children)).toEqual([
      JSON.stringify({ label: "child-a", rows: 300 }),
      JSON.stringify({ label: "child-b", rows: 300 }),
    ]);
    const counts = async (sql: typeof owner.sql) =>
      (
        await sql.query<{ label: string; c: number }>(
          "SELECT label, count(*)::int AS c FROM shared_rows GROUP BY label ORDER BY label",
        )
      ).rows;
    const expected = [
      { label: "child-a", c: 300 },
      { label: "child-b", c: 300 },
      { label: "owner", c: 300 },
    ];
    expect(await counts(owner.sql)).toEqual(expected);
    await owner.close();
    expect(await readOwner(dataDir)).toBeNull();

    const reopened = await openDatabase({ dataDir });
    expect(reopened.kind).toBe("pglite");
    expect(await counts(reopened.sql)).toEqual(expected);
    await reopened.close();
  });
});
