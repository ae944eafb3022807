import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, ConfigError, parseSettings, SECRET_KEYS } from "../../infra/config.js";
import { declaredConfig, stackConfig } from "./support/project-file.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("stack configuration", () => {
  it("defaults to the small development tier", () => {
    const settings = parseSettings({});
    expect(settings.scale).toBe("small");
    expect(settings.production).toBe(false);
    expect(settings.sizing.db.instanceClass).toBe("db.t3.small");
    expect(settings.queueMaxReceiveCount).toBe(5);
    expect(settings.dashboard).toBeUndefined();
  });

  it("treats empty values as unset, so Pulumi.yaml's empty defaults take the scale's numbers", () => {
    const settings = parseSettings({ scale: "large", dbInstanceClass: "", workerMaxTasks: "" });
    expect(settings.sizing.db.instanceClass).toBe("db.r5.large");
    expect(settings.sizing.worker.maxTasks).toBe(10);
  });

  it("lets single keys override the scale", () => {
    const settings = parseSettings({
      scale: "medium",
      dbInstanceClass: "db.t3.large",
      dbMultiAz: "false",
      workerMaxTasks: "4",
      natGateways: "perAz",
    });
    expect(settings.sizing.db).toMatchObject({ instanceClass: "db.t3.large", multiAz: false });
    expect(settings.sizing.worker.maxTasks).toBe(4);
    expect(settings.sizing.natGateways).toBe("perAz");
  });

  it("rejects unknown scales and out-of-range numbers with the key's name", () => {
    expect(() => parseSettings({ scale: "huge" })).toThrow(/scale/);
    expect(() => parseSettings({ azCount: "5" })).toThrow(/azCount/);
    expect(() => parseSettings({ queueMaxReceiveCount: "zero" })).toThrow(ConfigError);
  });

  it("rejects a minimum above the maximum", () => {
    expect(() => parseSettings({ workerMinTasks: "5", workerMaxTasks: "2" })).toThrow(/workerMinTasks/);
  });

  it("needs a hosted zone for the dashboard's domain, and all OIDC keys or none", () => {
    expect(() => parseSettings({ dashboardDomain: "feedback.example.com" })).toThrow(/hostedZoneId/);
    expect(() =>
      parseSettings({ dashboardDomain: "f.example.com", hostedZoneId: "Z1", oidcIssuer: "https://x" }),
    ).toThrow(/OIDC/);
    expect(parseSettings({ dashboardDomain: "f.example.com", hostedZoneId: "Z1" }).dashboard).toEqual({
      domain: "f.example.com",
      hostedZoneId: "Z1",
      oidc: undefined,
    });
  });

  it("splits the mail recipients list", () => {
    expect(parseSettings({ mailRecipients: " a@example.com, example.org ," }).mailRecipients).toEqual([
      "a@example.com",
      "example.org",
    ]);
  });

  it("declares every key in Pulumi.yaml with a description and a default", () => {
    const { keys } = declaredConfig(path.join(ROOT, "Pulumi.yaml"));
    for (const key of CONFIG_KEYS) {
      const declared = keys.get(key);
      expect(declared, key).toBeDefined();
      expect(declared?.description, key).toBeTruthy();
      expect(declared?.default, key).toBeDefined();
    }
    expect([...keys.keys()].filter((k) => !k.includes(":")).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it("documents the secret keys in Pulumi.yaml without declaring them", () => {
    const { keys, text } = declaredConfig(path.join(ROOT, "Pulumi.yaml"));
    for (const key of SECRET_KEYS) {
      expect(keys.has(key)).toBe(false);
      expect(text).toContain(key);
    }
  });

  it("parses Pulumi.yaml's defaults to the same settings as no configuration", () => {
    const { keys } = declaredConfig(path.join(ROOT, "Pulumi.yaml"));
    const defaults = Object.fromEntries(CONFIG_KEYS.map((key) => [key, keys.get(key)?.default]));
    expect(parseSettings(defaults)).toEqual(parseSettings({}));
  });

  it("makes Pulumi.dev.yaml a valid small development stack", () => {
    const { keys } = declaredConfig(path.join(ROOT, "Pulumi.yaml"));
    const defaults = Object.fromEntries(CONFIG_KEYS.map((key) => [key, keys.get(key)?.default]));
    const dev = parseSettings({ ...defaults, ...stackConfig(path.join(ROOT, "Pulumi.dev.yaml"), "feedback-triage") });
    expect(dev.scale).toBe("small");
    expect(dev.production).toBe(false);
  });

  it("runs the TypeScript program through tsx rather than Pulumi's bundled ts-node", () => {
    const { text } = declaredConfig(path.join(ROOT, "Pulumi.yaml"));
    expect(text).toMatch(/typescript: false/);
    expect(text).toMatch(/nodeargs: "--import tsx"/);
    expect(text).toMatch(/^main: infra\/index\.ts$/m);
  });
});
