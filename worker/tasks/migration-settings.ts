import { readTaskSettings } from "./task-settings.js";

/** The environment the migration task reads, by setting; infra/components/migration.ts sets each variable. */
export const MIGRATION_TASK_ENV = {
  host: "DB_HOST",
  port: "DB_PORT",
  database: "DB_NAME",
  masterUsername: "DB_MASTER_USERNAME",
  masterPassword: "DB_MASTER_PASSWORD",
  appUsername: "APP_DB_USERNAME",
  appPassword: "APP_DB_PASSWORD",
} as const;

export type MigrationTaskSettings = Record<keyof typeof MIGRATION_TASK_ENV, string>;

/** Every setting, read before anything runs, so a missing one fails the task before it touches the database. */
export function readMigrationTaskSettings(env: NodeJS.ProcessEnv): MigrationTaskSettings {
  return readTaskSettings(env, MIGRATION_TASK_ENV);
}
