import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import net from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../sdk/db/open-database.js";
import { type OwnerInfo, ownerFilePath, readOwner } from "../../../sdk/db/owner-lock.js";
import { DEFAULT_MAX_CONNECTIONS } from "../../../sdk/db/socket-server.js";
import { DatabaseBusyError } from "../../../sdk/errors.js";
import { migratedDataDir, removeTempDirs } from "./embedded-folder.js";

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function writeOwner(dataDir: string, owner: Partial<OwnerInfo>): Promise<void> {
  const info = {
    port: null,
    host: "127.0.0.1",
    startedAt: new Date().toISOString(),
    command: "feedback-cli worker",
    ...owner,
  };
  await writeFile(ownerFilePath(dataDir), JSON.stringify(info));
}

describe("openDatabase on an embedded folder", () => {
  afterAll(removeTempDirs);

  it("makes the first process the owner and later ones clients through its socket", async () => {
    const dataDir = await migratedDataDir();
    const owner = await openDatabase({ dataDir, command: "feedback-cli worker" });
    expect(owner).toMatchObject({ kind: "pglite", isOwner: true, dataDir });
    expect(owner.sql.kind).toBe("pglite");
    expect(await readOwner(dataDir)).toMatchObject({
      pid: process.pid,
      port: expect.any(Number),
      command: "feedback-cli worker",
    });

    const client = await openDatabase({ dataDir });
    expect(client).toMatchObject({ kind: "pglite-socket", isOwner: false, dataDir });
    expect(client.sql.kind).toBe("pglite-socket");
    await owner.sql.query(`INSERT INTO configurations (key, value) VALUES ('from_owner', '1')`);
    await client.sql.query(`INSERT INTO configurations (key, value) VALUES ($1, $2)`, ["from_client", "2"]);
    const keys = async (sql: typeof owner.sql) =>
      (await sql.query<{ key: string }>(`SELECT key FROM configurations WHERE key LIKE 'from_%' ORDER BY key`)).rows;
    expect(await keys(owner.sql)).toEqual([{ key: "from_client" }, { key: "from_owner" }]);
    expect(await keys(client.sql)).toEqual(await keys(owner.sql));

    await client.close();
    await owner.close();
    expect(await readOwner(dataDir)).toBeNull();
  });

  it("refuses role 'owner' while another owner is alive, naming its pid and command", async () => {
    const dataDir = await migratedDataDir();
    const owner = await openDatabase({ dataDir, command: "feedback-cli worker" });
    const attempt = openDatabase({ dataDir, role: "owner" });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseBusyError);
    await expect(attempt).rejects.toThrow(new RegExp(`process ${process.pid} \\(feedback-cli worker`));
    const error = (await attempt.catch((e: unknown) => e)) as DatabaseBusyError;
    expect(error.hint).toContain(`kill ${process.pid}`);
    await owner.close();
  });

  it("lets the next process become the owner once the owner has closed", async () => {
    const dataDir = await migratedDataDir();
    const first = await openDatabase({ dataDir });
    await first.sql.query(`INSERT INTO configurations (key, value) VALUES ('kept', 'true')`);
    await first.close();
    const next = await openDatabase({ dataDir, role: "owner" });
    expect(next).toMatchObject({ kind: "pglite", isOwner: true });
    expect((await next.sql.query(`SELECT value FROM configurations WHERE key = 'kept'`)).rows).toEqual([
      { value: true },
    ]);
    // Closing the SqlClient closes the whole database and gives the folder up.
    await next.sql.close();
    expect(await readOwner(dataDir)).toBeNull();
  });

  it("takes over the lock of an owner that was killed", async () => {
    const dataDir = await migratedDataDir();
    await writeOwner(dataDir, { pid: await deadPid(), port: await closedPort() });
    const db = await openDatabase({ dataDir, role: "owner" });
    expect(db.isOwner).toBe(true);
    expect(await readOwner(dataDir)).toMatchObject({ pid: process.pid });
    await db.close();
  });

  it("fails with DatabaseBusyError, without opening the folder, when an alive owner never publishes its port", async () => {
    const dataDir = await migratedDataDir();
    await writeOwner(dataDir, { pid: process.ppid });
    const attempt = openDatabase({ dataDir, ownerStartupTimeoutMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseBusyError);
    await expect(attempt).rejects.toThrow(new RegExp(`process ${process.ppid} .* has not opened its socket`));
    expect(await readOwner(dataDir)).toMatchObject({ pid: process.ppid, port: null });
  });

  it("fails with DatabaseBusyError naming the pid when the alive owner's socket refuses connections", async () => {
    const dataDir = await migratedDataDir();
    const port = await closedPort();
    await writeOwner(dataDir, { pid: process.ppid, port });
    const started = Date.now();
    const error = (await openDatabase({ dataDir, ownerConnectTimeoutMs: 1000 }).catch(
      (e: unknown) => e,
    )) as DatabaseBusyError;
    // It kept trying for the connect timeout before giving up.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(error).toBeInstanceOf(DatabaseBusyError);
    expect(error.message).toMatch(new RegExp(`process ${process.ppid} .* does not answer on 127.0.0.1:${port}`));
    expect(error.hint).toContain(ownerFilePath(dataDir));
    expect(error.cause).toBeDefined();
  });

  it("says too many feedback-cli processes are connected when the owner's connections are used up", async () => {
    const dataDir = await migratedDataDir();
    const owner = await openDatabase({ dataDir });
    const { port } = (await readOwner(dataDir))!;
    const clients = Array.from(
      { length: DEFAULT_MAX_CONNECTIONS },
      () => new pg.Client({ host: "127.0.0.1", port: port!, user: "postgres" }),
    );
    await Promise.all(clients.map((c) => c.connect()));
    const error = (await openDatabase({ dataDir, ownerConnectTimeoutMs: 1000 }).catch(
      (e: unknown) => e,
    )) as DatabaseBusyError;
    expect(error).toBeInstanceOf(DatabaseBusyError);
    expect(error.message).toMatch(/Too many feedback-cli processes are connected/);
    await Promise.all(clients.map((c) => c.end()));
    await owner.close();
  });

  it("keeps serving on close until connected processes have closed, so a short-lived owner does not strand them", async () => {
    const dataDir = await migratedDataDir();
    const owner = await openDatabase({ dataDir });
    const client = await openDatabase({ dataDir });
    let ownerClosed = false;
    const closing = owner.close().then(() => {
      ownerClosed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await client.sql.query<{ x: number }>("SELECT $1::int AS x", [7])).toMatchObject({ rows: [{ x: 7 }] });
    expect(ownerClosed).toBe(false);
    await client.close();
    await closing;
    expect(await readOwner(dataDir)).toBeNull();
  });

  it("turns a lost owner into DatabaseBusyError on the client's next query", async () => {
    const dataDir = await migratedDataDir();
    const owner = await openDatabase({ dataDir, waitForClientsOnCloseMs: 0 });
    const client = await openDatabase({ dataDir });
    await owner.close();
    await expect(client.sql.query("SELECT 1")).rejects.toBeInstanceOf(DatabaseBusyError);
    await client.close();
  });

  it("keeps trying an owner that does not answer, and takes the folder over once that owner exits", async () => {
    const dataDir = await migratedDataDir();
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 1500)"], { stdio: "ignore" });
    const exited = new Promise((resolve) => owner.on("exit", resolve));
    await writeOwner(dataDir, { pid: owner.pid, port: await closedPort() });
    const db = await openDatabase({ dataDir });
    await exited;
    expect(db.isOwner).toBe(true);
    await db.close();
  });

  it("with waitForOwner, role 'owner' waits for the owner to exit (saying so once), then owns the folder", async () => {
    const dataDir = await migratedDataDir();
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 1500)"], { stdio: "ignore" });
    await writeOwner(dataDir, { pid: owner.pid, port: await closedPort() });
    const waited: number[] = [];
    const db = await openDatabase({
      dataDir,
      role: "owner",
      waitForOwner: { onWaiting: (info) => waited.push(info.pid) },
    });
    expect(waited).toEqual([owner.pid]);
    expect(db.isOwner).toBe(true);
    await db.close();
  });

  it("with waitForOwner, stops waiting with DatabaseBusyError when its signal aborts", async () => {
    const dataDir = await migratedDataDir();
    await writeOwner(dataDir, { pid: process.ppid, port: await closedPort() });
    const attempt = openDatabase({ dataDir, role: "owner", waitForOwner: { signal: AbortSignal.timeout(300) } });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseBusyError);
    await expect(attempt).rejects.toThrow(/Stopped while waiting for process/);
  });
});
