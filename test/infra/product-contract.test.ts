import { describe, expect, it } from "vitest";
import { STACK_OUTPUTS } from "../../infra/names.js";
import {
  BACKUP_STORED_MESSAGE,
  FEEDBACK_RECEIVED_DETAIL_TYPE,
  FEEDBACK_SOURCE_TYPES,
  SETTING_ENV,
} from "../../infra/product-contract.js";
import { AWS_SETTINGS, type AwsSettingKey } from "../../sdk/aws/config.js";
import { BACKUP_STORED_MESSAGE as SDK_BACKUP_STORED_MESSAGE } from "../../sdk/backups.js";
import { FEEDBACK_RECEIVED } from "../../sdk/schemas/events.js";
import { SOURCE_TYPES } from "../../sdk/schemas/feedback.js";

// infra/ keeps its own copy of the values it shares with the product; these tests keep the copies true.
describe("infra agrees with the product it deploys", () => {
  it("passes each setting under the environment variable the SDK reads it from", () => {
    const sdkEnv = Object.keys(SETTING_ENV).map((setting) => [setting, AWS_SETTINGS[setting as AwsSettingKey]?.env]);
    expect(Object.fromEntries(sdkEnv)).toEqual(SETTING_ENV);
  });

  it("exports a stack output for every setting the SDK reads from feedback-stack.json", () => {
    const sdkOutputs = Object.values(AWS_SETTINGS).map((s) => s.output);
    expect(sdkOutputs.filter((o) => !(STACK_OUTPUTS as readonly string[]).includes(o))).toEqual([]);
  });

  it("routes the detail-type the publishers give feedback events", () => {
    expect(FEEDBACK_RECEIVED_DETAIL_TYPE).toBe(FEEDBACK_RECEIVED);
  });

  it("counts the message the backup task logs once a dump is stored", () => {
    expect(BACKUP_STORED_MESSAGE).toBe(SDK_BACKUP_STORED_MESSAGE);
  });

  it("knows every feedback source type, and only those", () => {
    expect([...FEEDBACK_SOURCE_TYPES].sort()).toEqual([...SOURCE_TYPES].sort());
  });
});
