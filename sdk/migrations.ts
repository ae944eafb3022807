import { migrate } from "./db/migrate.js";
import { PgSqlClient } from "./db/pg-client.js";

/**
 * Brings the PostgreSQL database at `url` up to date for a deployment: applies prisma/migrations as the
 * connecting user, then runs `followUp` in order (statements that need the migrated schema, such as the
 * application role's grants). One connection, closed before returning whether or not it succeeded.
 */
export async function migratePostgres(url: string, followUp: readonly string[] = []): Promise<{ applied: string[] }> {
  const sql = PgSqlClient.fromUrl(url, { max: 1 });
  try {
    const result = await migrate(sql);
    for (const statement of followUp) await sql.query(statement);
    return result;
  } finally {
    await sql.close();
  }
}
