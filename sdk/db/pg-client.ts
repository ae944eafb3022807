import pg from "pg";
import type { FeedbackTriageError } from "../errors.js";
import type { SqlClient, SqlExecutor, SqlResult } from "./sql.js";
import { translateDatabaseError } from "./translate-error.js";

// Return timestamps and bigints as strings/dates consistently with PGlite: int8 -> number is safe for
// our counters (well below 2^53); int8 ids are parsed by callers that need them.
pg.types.setTypeParser(20, (value: string) => Number(value));

type TranslateError = (error: unknown) => FeedbackTriageError;

function executor(target: pg.Pool | pg.PoolClient, translate: TranslateError): SqlExecutor {
  return {
    async query<T>(text: string, params: readonly unknown[] = []): Promise<SqlResult<T>> {
      try {
        const result = await target.query(text, params as unknown[]);
        return { rows: result.rows as T[], affectedRows: result.rowCount ?? 0 };
      } catch (error) {
        throw translate(error);
      }
    },
    async exec(script: string): Promise<void> {
      try {
        await target.query(script);
      } catch (error) {
        throw translate(error);
      }
    },
  };
}

/** SqlClient over node-postgres: a real PostgreSQL, or the embedded database's owner via its socket. */
export class PgSqlClient implements SqlClient {
  private readonly direct: SqlExecutor;

  /** `translate` turns driver errors into SDK errors (default translateDatabaseError). */
  constructor(
    readonly pool: pg.Pool,
    readonly kind: "postgres" | "pglite-socket" = "postgres",
    private readonly translate: TranslateError = translateDatabaseError,
  ) {
    this.direct = executor(pool, translate);
  }

  static fromUrl(url: string, options: { max?: number; kind?: "postgres" | "pglite-socket" } = {}): PgSqlClient {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
    pool.on("error", () => {
      // An idle client lost its connection; the next query reconnects or fails with a clear error.
    });
    return new PgSqlClient(pool, options.kind ?? "postgres");
  }

  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>> {
    return this.direct.query<T>(text, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.translate(error);
    }
    try {
      await client.query("BEGIN");
      const result = await fn(executor(client, this.translate));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw this.translate(error);
    } finally {
      client.release();
    }
  }

  exec(script: string): Promise<void> {
    return this.direct.exec(script);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
