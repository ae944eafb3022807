import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.js";
import type { SessionGate } from "./session-gate.js";

export type { PrismaClient } from "./generated/client.js";

// The methods pglite-prisma-adapter 0.7.2 calls on the PGlite it is given.
const GATED_METHODS = new Set<PropertyKey>(["query", "exec", "transaction"]);

/**
 * A view of `db` whose query/exec/transaction wait for the session gate, so Prisma takes turns with
 * the other in-process callers and with socket clients. A transaction holds the gate until it ends:
 * never await another database call that is not part of the transaction inside it.
 */
export function gatedPglite(db: PGlite, gate: SessionGate): PGlite {
  return new Proxy(db, {
    get(target, property) {
      // PGlite keeps its state in #private fields, so every method must run with the real instance as `this`.
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (GATED_METHODS.has(property)) {
        return (...args: unknown[]) => gate.run(async () => method.apply(target, args));
      }
      return method.bind(target);
    },
  });
}

/**
 * The embedded database has one connection: transactions of every process queue behind each other there, and a
 * busy machine can hold one up for seconds. Prisma's defaults (2 s to start, 5 s to finish) would fail such work
 * that is only waiting its turn.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/** Prisma over the in-process PGlite (the owner of the embedded database). */
export function createPglitePrisma(db: PGlite, gate: SessionGate): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPGlite(gatedPglite(db, gate)),
    transactionOptions: TRANSACTION_OPTIONS,
  });
}

/**
 * Prisma over node-postgres: a PostgreSQL server, or the embedded database's owner through its socket.
 * The pool is shared with the SqlClient and stays the caller's to end.
 */
export function createPgPrisma(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS });
}
