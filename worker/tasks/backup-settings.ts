import { readTaskSettings } from "./task-settings.js";

/** The environment the backup task reads, by setting; infra/components/backup.ts sets each variable. */
export const BACKUP_TASK_ENV = {
  databaseUrl: "DATABASE_URL",
  bucket: "FEEDBACK_BACKUPS_BUCKET",
  region: "AWS_REGION",
} as const;

export type BackupTaskSettings = Record<keyof typeof BACKUP_TASK_ENV, string>;

/** Every setting, read before pg_dump starts. */
export function readBackupTaskSettings(env: NodeJS.ProcessEnv): BackupTaskSettings {
  return readTaskSettings(env, BACKUP_TASK_ENV);
}
