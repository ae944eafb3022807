// The one-off migration task (worker image, run by the deployment before the worker starts):
// applies prisma/migrations as the master user, then creates the application's restricted role.
import { migrate } from "../../sdk/db/migrate.js";
import { PgSqlClient } from "../../sdk/db/pg-client.js";
import { appRoleStatements, postgresUrl } from "./app-role.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const database = required("DB_NAME");
  const url = postgresUrl(
    required("DB_MASTER_USERNAME"),
    required("DB_MASTER_PASSWORD"),
    required("DB_HOST"),
    required("DB_PORT"),
    database,
  );
  const sql = PgSqlClient.fromUrl(url, { max: 1 });
  try {
    const { applied } = await migrate(sql);
    console.log(JSON.stringify({ msg: "migrations applied", applied }));
    for (const statement of appRoleStatements(required("APP_DB_USERNAME"), required("APP_DB_PASSWORD"), database)) {
      await sql.query(statement);
    }
    console.log(JSON.stringify({ msg: "application role ready", role: process.env.APP_DB_USERNAME }));
  } finally {
    await sql.pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(
    JSON.stringify({ msg: "migration failed", error: error instanceof Error ? error.message : String(error) }),
  );
  process.exit(1);
});
