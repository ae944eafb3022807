import { PgSqlClient } from "../../sdk/db/pg-client.js";
import { PgliteSqlClient } from "../../sdk/db/pglite-client.js";
import { createPglitePrisma, createPgPrisma, type PrismaClient } from "../../sdk/db/prisma.js";
import type { SqlClient } from "../../sdk/db/sql.js";

/** A Prisma client on the same database (and, for PGlite, the same session gate) as `sql`. */
export function prismaFor(sql: SqlClient): PrismaClient {
  if (sql instanceof PgliteSqlClient) return createPglitePrisma(sql.db, sql.gate);
  if (sql instanceof PgSqlClient) return createPgPrisma(sql.pool);
  throw new Error(`No Prisma factory for ${sql.kind}`);
}
