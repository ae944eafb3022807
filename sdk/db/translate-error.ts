import { BackendError, ConflictError, DatabaseBusyError, FeedbackTriageError } from "../errors.js";

/** Postgres/PGlite/pg errors become SDK errors; the original is kept as `cause`. */
export function translateDatabaseError(error: unknown): FeedbackTriageError {
  if (error instanceof FeedbackTriageError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "23505") return new ConflictError(`Duplicate key: ${message}`, { cause: error });
  if (code === "40001" || code === "40P01") {
    return new ConflictError(`Transaction conflict: ${message}`, { cause: error, hint: "Retry the operation." });
  }
  // node-postgres reports a server that closed the connection (owner gone, or too many clients) by message only.
  if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "57P01" || /^Connection terminated/.test(message)) {
    return new DatabaseBusyError(`Database connection failed: ${message}`, {
      cause: error,
      hint: "Check that the database (or the feedback-cli process that owns the embedded database) is running.",
    });
  }
  return new BackendError(`Database error: ${message}`, { cause: error });
}
