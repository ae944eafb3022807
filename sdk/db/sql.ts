/**
 * The minimal SQL surface the raw-SQL parts of the SDK need (queue, bus, hot write path), implemented
 * over in-process PGlite and over node-postgres. Parameters are positional ($1, $2, ...).
 * Plain parameterised statements only: no named prepared statements or session state, because the
 * embedded database may be shared with other processes through one session.
 */
export interface SqlResult<T> {
  rows: T[];
  affectedRows: number;
}

export interface SqlExecutor {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<T>>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `fn` in one transaction; never await another client's query inside it. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: "pglite" | "postgres" | "pglite-socket";
}
