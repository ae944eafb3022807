/**
 * One JSON object per line on stdout/stderr: what CloudWatch Logs (Lambda, Fargate) indexes, and what
 * `feedback-cli serve` prints. Set FEEDBACK_LOG_LEVEL=warn (or error, silent) to quieten it.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFn = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

const RANK: Record<LogLevel | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export const log: LogFn = (level, event, fields = {}) => {
  const threshold = RANK[(process.env.FEEDBACK_LOG_LEVEL as LogLevel | "silent") ?? "info"] ?? RANK.info;
  if (RANK[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
};

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
