import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  acquireOwnership,
  isProcessAlive,
  type OwnerInfo,
  ownerFilePath,
  readOwner,
} from "../../../sdk/db/owner-lock.js";
import { compileForChild } from "./compile-for-child.js";
import { removeTempDirs, tempDir } from "./embedded-folder.js";

/** The pid of a process that has exited (and been reaped), as a SIGKILLed owner leaves behind. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  if (!child.pid) throw new Error("spawn gave no pid");
  return child.pid;
}

function staleOwner(pid: number): OwnerInfo {
  return { pid, port: 54321, host: "127.0.0.1", startedAt: "2020-01-01T00:00:00.000Z", command: "feedback-cli worker" };
}

describe("owner lock", () => {
  afterAll(removeTempDirs);

  it("creates owner.json with this process's pid, no port yet, and the command", async () => {
    const dir = await tempDir();
    const result = await acquireOwnership(dir, { command: "feedback-cli worker" });
    if (!result.acquired) throw new Error("expected to acquire");
    const written = JSON.parse(await readFile(ownerFilePath(dir), "utf8")) as OwnerInfo;
    expect(written).toMatchObject({ pid: process.pid, port: null, host: "127.0.0.1", command: "feedback-cli worker" });
    expect(Number.isNaN(Date.parse(written.startedAt))).toBe(false);
    await result.lock.release();
  });

  it("publishes the port by replacing the file, and removes it on release", async () => {
    const dir = await tempDir();
    const result = await acquireOwnership(dir);
    if (!result.acquired) throw new Error("expected to acquire");
    await result.lock.setPort(40123);
    expect(await readOwner(dir)).toMatchObject({ pid: process.pid, port: 40123 });
    await result.lock.release();
    expect(await readOwner(dir)).toBeNull();
  });

  it("reports the alive owner to a second acquire instead of taking the lock", async () => {
    const dir = await tempDir();
    const first = await acquireOwnership(dir, { command: "first" });
    const second = await acquireOwnership(dir, { command: "second" });
    expect(second).toEqual({ acquired: false, owner: expect.objectContaining({ pid: process.pid, command: "first" }) });
    if (first.acquired) await first.lock.release();
  });

  it("treats a pid that exists under another user (EPERM) as alive and a missing one (ESRCH) as dead", () => {
    const kill = vi.spyOn(process, "kill");
    try {
      kill.mockImplementation(() => {
        throw Object.assign(new Error("kill EPERM"), { code: "EPERM" });
      });
      expect(isProcessAlive(4242)).toBe(true);
      kill.mockImplementation(() => {
        throw Object.assign(new Error("kill ESRCH"), { code: "ESRCH" });
      });
      expect(isProcessAlive(4242)).toBe(false);
    } finally {
      kill.mockRestore();
    }
  });

  it("takes over a stale lock left by a dead process", async () => {
    const dir = await tempDir();
    const pid = await deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    await writeFile(ownerFilePath(dir), JSON.stringify(staleOwner(pid)));
    const result = await acquireOwnership(dir);
    expect(result.acquired).toBe(true);
    expect(await readOwner(dir)).toMatchObject({ pid: process.pid, port: null });
    if (result.acquired) await result.lock.release();
  });

  it("lets exactly one of many concurrent acquires take over a stale lock (60 rounds)", async () => {
    const pid = await deadPid();
    for (let round = 0; round < 60; round++) {
      const dir = await tempDir();
      await writeFile(ownerFilePath(dir), JSON.stringify(staleOwner(pid)));
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => acquireOwnership(dir, { command: `racer-${i}` })),
      );
      const winners = results.flatMap((r) => (r.acquired ? [r.lock] : []));
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      expect(await readOwner(dir)).toEqual(winner.info);
      expect(results.filter((r) => !r.acquired)).toEqual(Array(7).fill({ acquired: false, owner: winner.info }));
      await winner.release();
    }
  });

  it("lets exactly one of several child processes take over a stale lock", async () => {
    const dir = await tempDir();
    await writeFile(ownerFilePath(dir), JSON.stringify(staleOwner(await deadPid())));
    const compiled = await tempDir("ft-compiled-");
    await compileForChild(compiled, ["sdk/errors.ts", "sdk/db/owner-lock.ts"]);
    const fixture = path.join(import.meta.dirname, "fixtures/race-for-lock.mjs");
    const lockModule = path.join(compiled, "sdk/db/owner-lock.js");
    const startAt = String(Date.now() + 1000);
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, [fixture, lockModule, dir, startAt], { stdio: ["pipe", "pipe", "inherit"] }),
    );
    // Every child answers while the winner still holds the lock; then stdin closes and they exit.
    const outputs = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = "";
            child.stdout.on("data", (chunk) => {
              out += chunk;
              if (out.includes("\n")) resolve(out.trim());
            });
          }),
      ),
    );
    await Promise.all(children.map((child) => new Promise((resolve) => child.on("exit", resolve).stdin.end())));
    expect(outputs.filter((o) => o === "won")).toHaveLength(1);
    expect(outputs.filter((o) => o === "lost")).toHaveLength(3);
    expect(await readOwner(dir)).toBeNull();
  });
});
