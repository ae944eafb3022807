import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { defaultMigrationsDir, migrate, readMigrations } from "../../sdk/db/migrate.js";
import { PgliteSqlClient } from "../../sdk/db/pglite-client.js";

/**
 * A migrated PGlite data directory, dumped once per migration set and loaded by every test database:
 * loading takes ~0.4 s where creating and migrating a fresh one takes several seconds on 2 cores.
 */
async function templatePath(): Promise<string> {
  const migrations = await readMigrations(defaultMigrationsDir());
  const hash = createHash("sha256")
    .update(migrations.map((m) => `${m.name}:${m.checksum}`).join("\n"))
    .digest("hex");
  return path.join(os.tmpdir(), `feedback-triage-pglite-template-${hash.slice(0, 16)}.tar.gz`);
}

export async function ensurePgliteTemplate(): Promise<string> {
  const file = await templatePath();
  if (existsSync(file)) return file;
  const db = await PGlite.create();
  await migrate(new PgliteSqlClient(db));
  const dump = await db.dumpDataDir("gzip");
  await db.close();
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, file);
  return file;
}

let cached: Promise<Blob> | null = null;

export async function createPgliteFromTemplate(): Promise<PGlite> {
  cached ??= ensurePgliteTemplate().then(async (file) => new Blob([await readFile(file)]));
  return PGlite.create({ loadDataDir: await cached });
}
