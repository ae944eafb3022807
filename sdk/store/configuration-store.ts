import type { PrismaClient } from "../db/generated/client.js";
import { ConfigurationError, ValidationError } from "../errors.js";
import type { ConfigurationStore } from "../ports/configuration.js";
import {
  CONFIGURATION_SCHEMAS,
  type ConfigurationKey,
  type ConfigurationValue,
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
    const parsed = CONFIGURATION_SCHEMAS[key].safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${[key, ...i.path].join(".")}: ${i.message}`).join("; ");
      throw new ValidationError(`Invalid value for '${key}': ${issues}`);
    }
    const json = parsed.data as object;
    await this.prisma.configuration.upsert({
      where: { key },
      create: { key, value: json, updatedBy: actor },
      update: { value: json, updatedBy: actor, updatedAt: new Date() },
    });
  }

  async load(): Promise<TriageConfiguration> {
    const [confidenceThreshold, priorityRules, agents, modelPrices] = await Promise.all([
      this.get("confidence_threshold"),
      this.get("priority_rules"),
      this.get("agents"),
      this.getOptional("model_prices"),
    ]);
    return { confidenceThreshold, priorityRules, agents, ...(modelPrices ? { modelPrices } : {}) };
  }

  /** A key that only some crews need (model prices): absent -> undefined; present but invalid still throws. */
  private async getOptional<K extends ConfigurationKey>(key: K): Promise<ConfigurationValue<K> | undefined> {
    const row = await this.prisma.configuration.findUnique({ where: { key }, select: { key: true } });
    return row ? this.get(key) : undefined;
  }
}
