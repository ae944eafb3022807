import type { LogLevelSetting } from "./config/runtime.js";

/**
 * One JSON object per line on stdout/stderr: what CloudWatch Logs (Lambda, Fargate) indexes, and what
 * `feedback-cli serve` prints. Entry points log at the configured level (FEEDBACK_LOG_LEVEL=warn, error
 * or silent quietens it).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFn = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

const RANK: Record<LogLevelSetting, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** JSON lines for machines (CloudWatch, pipes); short readable lines for a person at a terminal. */
export type LogFormat = "json" | "human";

/**
 * A LogFn writing the entries at `threshold` and above, as JSON lines unless `format` is "human": warnings and
 * errors to stderr, the rest to stdout, or everything to stderr where stdout carries a command's result.
 */
export function createLog(
  threshold: LogLevelSetting,
  format: LogFormat = "json",
  streams: "split" | "stderr" = "split",
): LogFn {
  return (level, event, fields = {}) => {
    if (RANK[level] < RANK[threshold]) return;
    const time = new Date().toISOString();
    const line =
      format === "human" ? humanLine(time, level, event, fields) : JSON.stringify({ time, level, event, ...fields });
    const toStderr = streams === "stderr" || level === "error" || level === "warn";
    (toStderr ? process.stderr : process.stdout).write(`${line}\n`);
  };
}

/** `12:00:01 WARN  webhook.rejected  channel=zendesk reason="bad signature"`: values quoted only when needed. */
export function humanLine(time: string, level: LogLevel, event: string, fields: Record<string, unknown>): string {
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      return `${key}=${/^[\w.:/@+-]+$/.test(text) ? text : JSON.stringify(text)}`;
    });
  return [time.slice(11, 19), level.toUpperCase().padEnd(5), event, ...pairs].join(" ").replace(/[\r\n]+/g, " ");
}

/** Human lines for a person at a terminal, JSON lines when the output is piped or collected (CI). */
export function logFormatFor(output: { isTTY?: boolean }, ci = false): LogFormat {
  return output.isTTY && !ci ? "human" : "json";
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
