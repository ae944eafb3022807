import { randomUUID } from "node:crypto";
import pg from "pg";

/**
 * A throwaway database on the PostgreSQL server of `adminUrl` (for test suites and benchmarks):
 * created empty, dropped (closing its connections) by `drop()`.
 */
export async function createScratchDatabase(
  adminUrl: string,
  prefix = "ft_scratch",
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
