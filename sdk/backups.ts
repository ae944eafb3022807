import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pgDump } from "./db/pg-dump.js";

/** The backup task's log message (`msg`) once a dump is stored: the stack counts it and alarms on a day without. */
export const BACKUP_STORED_MESSAGE = "backup stored";

/** Where the dumps go in the backups bucket (under its lifecycle: Glacier after 30 days, deleted after a year). */
export const BACKUP_PREFIX = "postgres/";

/**
 * The object key of a dump taken at `at`: one folder per day, sortable by time,
 * e.g. postgres/2026/12/07/feedback-20261207T030000Z.dump.
 */
export function backupKey(database: string, at: Date): string {
  const iso = at.toISOString();
  const [day] = iso.split("T");
  const stamp = iso
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll("-", "")
    .replaceAll(":", "");
  return `${BACKUP_PREFIX}${day!.replaceAll("-", "/")}/${database}-${stamp}.dump`;
}

/** What a dump is written to: the S3 artifacts adapter pointed at the backups bucket (sdk/aws/backups.ts). */
export interface DumpDestination {
  putStream(key: string, body: Readable, contentType?: string): Promise<{ key: string; uri: string }>;
}

export interface BackupResult {
  key: string;
  uri: string;
  bytes: number;
}

/**
 * `pg_dump --format=custom` of the PostgreSQL database at `databaseUrl`, streamed to `destination` under
 * backupKey (the scheduled backup task, worker/tasks/backup.ts; docs/runbook.md restores it).
 */
export function backupDatabase(
  databaseUrl: string,
  destination: DumpDestination,
  options: { at: Date; env: NodeJS.ProcessEnv },
): Promise<BackupResult> {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  return storeDump(pgDump(databaseUrl, { env: options.env }), destination, { database, at: options.at });
}

/**
 * Streams a dump to `destination` under backupKey: nothing is held on disk or in memory beyond the upload's
 * parts. A dump that fails part-way fails the upload, which is then aborted.
 */
export async function storeDump(
  dump: Readable,
  destination: DumpDestination,
  options: { database: string; at: Date },
): Promise<BackupResult> {
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  dump.on("error", (error) => counted.destroy(error));
  dump.pipe(counted);
  const stored = await destination.putStream(
    backupKey(options.database, options.at),
    counted,
    "application/vnd.postgresql.custom-dump",
  );
  return { ...stored, bytes };
}
