// The one-off migration task (worker image, run by the deployment before the worker starts):
// applies prisma/migrations as the master user, then creates the application's restricted role.
import { migratePostgres } from "../../sdk/migrations.js";
import { appRoleStatements, postgresUrl } from "./app-role.js";
import { readMigrationTaskSettings } from "./migration-settings.js";

async function main(): Promise<void> {
  const settings = readMigrationTaskSettings(process.env);
  const { host, port, database, masterUsername, masterPassword, appUsername, appPassword } = settings;
  const { applied } = await migratePostgres(
    postgresUrl(masterUsername, masterPassword, host, port, database),
    appRoleStatements(appUsername, appPassword, database),
  );
  console.log(JSON.stringify({ msg: "migrations applied", applied }));
  console.log(JSON.stringify({ msg: "application role ready", role: appUsername }));
}

main().catch((error: unknown) => {
  console.error(
    JSON.stringify({ msg: "migration failed", error: error instanceof Error ? error.message : String(error) }),
  );
  process.exit(1);
});
