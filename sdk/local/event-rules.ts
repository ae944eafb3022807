import type { SqlExecutor } from "../db/sql.js";
import { ConfigurationError } from "../errors.js";
import { compileEventPattern, type EventMatcher } from "./event-pattern.js";
import type { QueueSettings } from "./queue-settings.js";

/** An enabled row of `event_rules` with its compiled pattern and the settings of its target queue. */
export interface EventRule {
  name: string;
  matches: EventMatcher;
  targetQueue: string;
  targetSettings: QueueSettings;
}

interface RuleRow {
  name: string;
  pattern: unknown;
  target_queue: string;
  visibility_timeout_s: number;
  max_receive_count: number;
  retention_s: number;
  dead_letter_queue: string | null;
}

/** Loads the enabled rules of one bus, in name order; a rule with an unsupported pattern is an error. */
export async function loadEventRules(sql: SqlExecutor, bus: string): Promise<EventRule[]> {
  const { rows } = await sql.query<RuleRow>(
    `SELECT r.name, r.pattern, r.target_queue,
            q.visibility_timeout_s, q.max_receive_count, q.retention_s, q.dead_letter_queue
     FROM event_rules r JOIN queues q ON q.name = r.target_queue
     WHERE r.enabled AND r.bus = $1
     ORDER BY r.name`,
    [bus],
  );
  return rows.map((row) => {
    let matches: EventMatcher;
    try {
      matches = compileEventPattern(row.pattern);
    } catch (error) {
      throw new ConfigurationError(`Event rule "${row.name}" has an invalid pattern: ${(error as Error).message}`, {
        cause: error,
        hint: "Fix or disable the rule in the event_rules table.",
      });
    }
    return {
      name: row.name,
      matches,
      targetQueue: row.target_queue,
      targetSettings: {
        visibilityTimeoutSeconds: row.visibility_timeout_s,
        maxReceiveCount: row.max_receive_count,
        retentionSeconds: row.retention_s,
        deadLetterQueue: row.dead_letter_queue,
      },
    };
  });
}

/** Keeps the rules for `ttlMs` so a burst of publishes costs one query. */
export class EventRuleCache {
  private cached: { rules: Promise<EventRule[]>; loadedAt: number } | null = null;

  constructor(
    private readonly bus: string,
    private readonly ttlMs: number,
  ) {}

  /** The cached rules, or the rules loaded through `sql` (the executor of the publishing transaction). */
  rules(sql: SqlExecutor): Promise<EventRule[]> {
    const now = Date.now();
    if (this.cached && now - this.cached.loadedAt < this.ttlMs) return this.cached.rules;
    const rules = loadEventRules(sql, this.bus);
    this.cached = { rules, loadedAt: now };
    rules.catch(() => {
      if (this.cached?.rules === rules) this.cached = null;
    });
    return rules;
  }

  invalidate(): void {
    this.cached = null;
  }
}
