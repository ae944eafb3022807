import { isDeepStrictEqual } from "node:util";
import { Prisma, type PrismaClient } from "../db/generated/client.js";
import { ConfigurationError, ValidationError } from "../errors.js";
import type { ConfigurationStore } from "../ports/configuration.js";
import {
  CONFIGURATION_SCHEMAS,
  type ConfigurationChange,
  type ConfigurationKey,
  type ConfigurationValue,
  type ConfigurationValues,
  type TriageConfiguration,
} from "../schemas/configuration.js";

/** The `configurations` table, validated against the zod schema of each key on read and write. */
export class PrismaConfigurationStore implements ConfigurationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async get<K extends ConfigurationKey>(key: K): Promise<ConfigurationValue<K>> {
    const row = await this.prisma.configuration.findUnique({ where: { key } });
    if (!row) {
      throw new ConfigurationError(`Configuration '${key}' is missing`, {
        hint: "Run the migrations again ('feedback-cli status' applies them) or set it with 'feedback-cli config set'.",
      });
    }
    const parsed = CONFIGURATION_SCHEMAS[key].safeParse(row.value);
    if (!parsed.success) {
      throw new ConfigurationError(`Configuration '${key}' is invalid: ${parsed.error.issues[0]?.message}`, {
        hint: `Fix it with 'feedback-cli config set ${key} <json>'.`,
      });
    }
    return parsed.data as ConfigurationValue<K>;
  }

  async set<K extends ConfigurationKey>(key: K, value: ConfigurationValue<K>, actor: string): Promise<void> {
    await this.update({ [key]: value } as ConfigurationValues, actor);
  }

  async update(values: ConfigurationValues, actor: string): Promise<ConfigurationKey[]> {
    const parsed = new Map<ConfigurationKey, object>();
    for (const key of Object.keys(values) as ConfigurationKey[]) {
      const result = CONFIGURATION_SCHEMAS[key].safeParse(values[key]);
      if (!result.success) {
        const issues = result.error.issues.map((i) => `${[key, ...i.path].join(".")}: ${i.message}`).join("; ");
        throw new ValidationError(`Invalid value for '${key}': ${issues}`);
      }
      parsed.set(key, result.data as object);
    }
    if (parsed.size === 0) return [];
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.configuration.findMany({ where: { key: { in: [...parsed.keys()] } } });
      const stored = new Map(rows.map((row) => [row.key, row.value]));
      const changed: ConfigurationKey[] = [];
      for (const [key, json] of parsed) {
        const before = stored.get(key);
        // Compared as stored: jsonb drops undefined members and does not keep key order.
        if (before !== undefined && isDeepStrictEqual(before, JSON.parse(JSON.stringify(json)))) continue;
        await tx.configuration.upsert({
          where: { key },
          create: { key, value: json, updatedBy: actor },
          update: { value: json, updatedBy: actor, updatedAt: new Date() },
        });
        await tx.configurationChange.create({
          data: { key, before: before === undefined ? Prisma.DbNull : (before as object), after: json, actor },
        });
        changed.push(key);
      }
      return changed;
    });
  }

  async remove(key: ConfigurationKey, actor: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.configuration.findUnique({ where: { key } });
      if (!row) return false;
      await tx.configuration.delete({ where: { key } });
      await tx.configurationChange.create({
        data: { key, before: row.value as object, after: Prisma.JsonNull, actor },
      });
      return true;
    });
  }

  async history(options: { key?: ConfigurationKey; limit?: number } = {}): Promise<ConfigurationChange[]> {
    const rows = await this.prisma.configurationChange.findMany({
      where: options.key ? { key: options.key } : {},
      orderBy: [{ changedAt: "desc" }, { id: "desc" }],
      take: options.limit ?? 100,
    });
    return rows.map((row) => ({
      id: row.id.toString(),
      key: row.key as ConfigurationKey,
      before: row.before,
      after: row.after,
      actor: row.actor,
      changedAt: row.changedAt.toISOString(),
    }));
  }

  /**
   * Read fresh on every call, yet parsed only when something changed: one query fingerprints the stored rows
   * (every key and value, however they were written), and an unchanged fingerprint returns the last parse.
   * The worker calls this once per batch (#20).
   */
  async load(): Promise<TriageConfiguration> {
    const [{ fingerprint }] = await this.prisma.$queryRaw<[{ fingerprint: string | null }]>`
      SELECT md5(string_agg(key || '=' || value::text, ',' ORDER BY key)) AS fingerprint FROM configurations`;
    if (this.loaded?.fingerprint !== fingerprint) this.loaded = { fingerprint, config: await this.loadAll() };
    // A copy: what a caller changes in its configuration must not change the next caller's.
    return structuredClone(this.loaded.config);
  }

  private loaded: { fingerprint: string | null; config: TriageConfiguration } | null = null;

  private async loadAll(): Promise<TriageConfiguration> {
    const [confidenceThreshold, priorityRules, agents, modelPrices, defaultApp, grouping] = await Promise.all([
      this.get("confidence_threshold"),
      this.get("priority_rules"),
      this.get("agents"),
      this.getOptional("model_prices"),
      this.getOptional("default_app"),
      this.getOptional("grouping"),
    ]);
    return {
      confidenceThreshold,
      priorityRules,
      agents,
      ...(modelPrices ? { modelPrices } : {}),
      ...(defaultApp ? { defaultApp } : {}),
      ...(grouping ? { grouping } : {}),
    };
  }

  /** A key that only some crews need (model prices): absent -> undefined; present but invalid still throws. */
  private async getOptional<K extends ConfigurationKey>(key: K): Promise<ConfigurationValue<K> | undefined> {
    const row = await this.prisma.configuration.findUnique({ where: { key }, select: { key: true } });
    return row ? this.get(key) : undefined;
  }
}
