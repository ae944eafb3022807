/**
 * The SDK's one error hierarchy. Adapters translate driver/AWS errors into these at their edge,
 * keeping the original as `cause`. `hint` tells a user what to do next.
 */
export class FeedbackTriageError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** Input that a user can fix: a bad file, row, flag or configuration value. */
export class ValidationError extends FeedbackTriageError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("VALIDATION", message, options);
  }
}

export class NotFoundError extends FeedbackTriageError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("NOT_FOUND", message, options);
  }
}

/** Optimistic concurrency lost: a stale receipt handle or ticket version. */
export class ConflictError extends FeedbackTriageError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("CONFLICT", message, options);
  }
}

export class ThrottlingError extends FeedbackTriageError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { cause?: unknown; hint?: string; retryAfterMs?: number } = {}) {
    super("THROTTLED", message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class AccessDeniedError extends FeedbackTriageError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("ACCESS_DENIED", message, options);
  }
}

export class TooLargeError extends FeedbackTriageError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("TOO_LARGE", message, options);
  }
}

/** The embedded database is owned by another process that cannot be reached. */
export class DatabaseBusyError extends FeedbackTriageError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("DATABASE_BUSY", message, options);
  }
}

export class ConfigurationError extends FeedbackTriageError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("CONFIGURATION", message, options);
  }
}

/** Anything from a backend that does not fit the classes above. */
export class BackendError extends FeedbackTriageError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("BACKEND", message, options);
  }
}
