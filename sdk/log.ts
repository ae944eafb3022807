import type { LogLevelSetting } from "./config/runtime.js";

/**
 * One JSON object per line on stdout/stderr: what CloudWatch Logs (Lambda, Fargate) indexes, and what
 * `feedback-cli serve` prints. Entry points log at the configured level (FEEDBACK_LOG_LEVEL=warn, error
 * or silent quietens it).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFn = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

const RANK: Record<LogLevelSetting, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A LogFn writing the entries at `threshold` and above. */
export function createLog(threshold: LogLevelSetting): LogFn {
  return (level, event, fields = {}) => {
    if (RANK[level] < RANK[threshold]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
    (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
  };
}

/** The log of code given none: everything from info up. */
export const log: LogFn = createLog("info");

/** A LogFn that keeps entries in memory, for tests. */
export function memoryLog(): LogFn & {
  entries: { level: LogLevel; event: string; fields: Record<string, unknown> }[];
} {
  const entries: { level: LogLevel; event: string; fields: Record<string, unknown> }[] = [];
  const fn = ((level, event, fields = {}) => void entries.push({ level, event, fields })) as LogFn & {
    entries: typeof entries;
  };
  fn.entries = entries;
  return fn;
}
