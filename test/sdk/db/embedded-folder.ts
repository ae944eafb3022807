import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { migrate } from "../../../sdk/db/migrate.js";
import { PgliteSqlClient } from "../../../sdk/db/pglite-client.js";

let template: Promise<string> | undefined;
const created: string[] = [];

export async function tempDir(prefix = "ft-data-"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A migrated PGlite folder, created once per test file (~3 s) and copied for each caller (a few ms). */
export async function migratedDataDir(): Promise<string> {
  template ??= (async () => {
    const dir = await tempDir("ft-template-");
    const sql = new PgliteSqlClient(await PGlite.create(dir));
    await migrate(sql);
    await sql.close();
    return dir;
  })();
  const copy = await tempDir();
  await cp(await template, copy, { recursive: true });
  return copy;
}

/** Call from afterAll, once every database opened on these folders is closed. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  template = undefined;
}
