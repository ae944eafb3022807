// The scheduled backup task (worker image, started by EventBridge Scheduler, infra/components/backup.ts): streams
// `pg_dump --format=custom` of the application database to the backups bucket. docs/runbook.md restores it.
import { s3BackupDestination } from "../../sdk/aws/backups.js";
import { BACKUP_STORED_MESSAGE, backupDatabase } from "../../sdk/backups.js";
import { readBackupTaskSettings } from "./backup-settings.js";

async function main(): Promise<void> {
  const settings = readBackupTaskSettings(process.env);
  const { destination, close } = s3BackupDestination(settings.region, settings.bucket);
  try {
    const result = await backupDatabase(settings.databaseUrl, destination, { at: new Date(), env: process.env });
    console.log(JSON.stringify({ msg: BACKUP_STORED_MESSAGE, uri: result.uri, bytes: result.bytes }));
  } finally {
    close();
  }
}

main().catch((error: unknown) => {
  console.error(
    JSON.stringify({ msg: "backup failed", error: error instanceof Error ? error.message : String(error) }),
  );
  process.exit(1);
});
