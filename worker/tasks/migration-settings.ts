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
  const entries = Object.entries(MIGRATION_TASK_ENV).map(([setting, variable]) => {
    const value = env[variable];
    if (!value) throw new Error(`${variable} is not set`);
    return [setting, value];
  });
  return Object.fromEntries(entries) as MigrationTaskSettings;
}
