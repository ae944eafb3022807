import type { PGlite, Transaction } from "@electric-sql/pglite";
import { SessionGate } from "./session-gate.js";
import type { SqlClient, SqlExecutor, SqlResult } from "./sql.js";
import { translateDatabaseError } from "./translate-error.js";

function executor(target: PGlite | Transaction): SqlExecutor {
  return {
    async query<T>(text: string, params: readonly unknown[] = []): Promise<SqlResult<T>> {
      try {
        const result = await target.query<T>(text, params as unknown[]);
        return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
      } catch (error) {
        throw translateDatabaseError(error);
      }
    },
    async exec(script: string): Promise<void> {
      try {
        await target.exec(script);
      } catch (error) {
        throw translateDatabaseError(error);
      }
    },
  };
}

/** SqlClient over an in-process PGlite; every call holds the shared session through the gate. */
export class PgliteSqlClient implements SqlClient {
  readonly kind = "pglite" as const;
  private readonly direct: SqlExecutor;

  constructor(
    readonly db: PGlite,
    readonly gate: SessionGate = new SessionGate(),
    private readonly onClose: () => Promise<void> = () => db.close(),
  ) {
    this.direct = executor(db);
  }

  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>> {
    return this.gate.run(() => this.direct.query<T>(text, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.gate.run(async () => {
      try {
        return await this.db.transaction((tx) => fn(executor(tx)));
      } catch (error) {
        throw translateDatabaseError(error);
      }
    });
  }

  exec(script: string): Promise<void> {
    return this.gate.run(() => this.direct.exec(script));
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
