import { describe, expect, it } from "vitest";
import { SEEDED_CONFIGURATION } from "../../../app/agents/offline/dataset.js";
import {
  changedKeys,
  configurationKeys,
  diffConfiguration,
  parseConfigurationPath,
  UnknownConfigurationKeyError,
  validateConfiguration,
  withValue,
} from "../../../app/configuration/configuration-service.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";

const CONFIG: TriageConfiguration = SEEDED_CONFIGURATION;

describe("configuration keys", () => {
  it("resolves a camelCase name, its stored snake_case name and a dotted path", () => {
    expect(parseConfigurationPath("confidenceThreshold")).toMatchObject({ key: "confidence_threshold", rest: [] });
    expect(parseConfigurationPath("priority_rules.defaults.Bug")).toMatchObject({
      name: "priorityRules",
      rest: ["defaults", "Bug"],
      text: "priorityRules.defaults.Bug",
    });
    expect(parseConfigurationPath("priorityRules.rules.0.keywords").rest).toEqual(["rules", "0", "keywords"]);
  });

  it("refuses a path the schema does not have, listing the valid keys", () => {
    for (const path of ["nope", "agents.colour", "priorityRules.defaults.Bugs", "priorityRules.rules.x"]) {
      expect(() => parseConfigurationPath(path)).toThrow(UnknownConfigurationKeyError);
    }
    expect(configurationKeys()).toEqual([
      "confidenceThreshold",
      "priorityRules",
      "priorityRules.defaults",
      "priorityRules.rules",
      "agents",
      "agents.mode",
      "agents.claudeModel",
      "agents.hybridThreshold",
      "modelPrices",
      "defaultApp",
      "grouping",
      "grouping.enabled",
      "grouping.categories",
      "grouping.closedWithinDays",
      "grouping.joinThreshold",
      "grouping.suggestThreshold",
      "grouping.priorityRules",
      "categoryDefaults",
    ]);
  });

  it("sets a nested value as JSON when it parses, else as text", () => {
    const next = withValue(CONFIG, parseConfigurationPath("agents.mode"), "claude") as TriageConfiguration;
    expect(next.agents.mode).toBe("claude");
    const threshold = withValue(CONFIG, parseConfigurationPath("agents.hybridThreshold"), "0.9") as TriageConfiguration;
    expect(threshold.agents.hybridThreshold).toBe(0.9);
    expect(CONFIG.agents.mode).toBeUndefined();
  });
});

describe("validateConfiguration", () => {
  it("accepts the stored snake_case names at the top", () => {
    const { confidenceThreshold: _, ...rest } = CONFIG;
    const result = validateConfiguration({ ...rest, confidence_threshold: 0.5 });
    expect(result.ok && result.value.confidenceThreshold).toBe(0.5);
  });

  it("reports every problem with its path and a fix, unknown keys included", () => {
    const result = validateConfiguration({ ...CONFIG, confidenceThreshold: "high", agents: { mode: "x", extra: 1 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        path: "agents.extra",
        message: "unknown key",
        fix: "remove it, or use one of: mode, claudeModel, hybridThreshold",
      },
      expect.objectContaining({ path: "confidenceThreshold", fix: "give a number, e.g. 0.7" }),
      expect.objectContaining({ path: "agents.mode", fix: 'use one of: "offline", "claude", "hybrid"' }),
    ]);
  });
});

describe("diffConfiguration", () => {
  it("lists what changed leaf by leaf", () => {
    const next = structuredClone(CONFIG);
    next.confidenceThreshold = 0.8;
    next.agents.mode = "hybrid";
    next.priorityRules.rules[1]!.keywords.push("freeze");
    expect(diffConfiguration(CONFIG, next)).toEqual([
      { path: "confidenceThreshold", kind: "changed", before: 0.7, after: 0.8 },
      { path: "agents.mode", kind: "added", after: "hybrid" },
      {
        path: `priorityRules.rules.1.keywords.${CONFIG.priorityRules.rules[1]!.keywords.length}`,
        kind: "added",
        after: "freeze",
      },
    ]);
    expect(Object.keys(changedKeys(CONFIG, next))).toEqual(["confidenceThreshold", "priorityRules", "agents"]);
  });
});
