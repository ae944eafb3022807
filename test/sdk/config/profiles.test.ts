import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { profileEnvironment, profilesPath } from "../../../sdk/config/profiles.js";

function profilesFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ft-profiles-")), "profiles.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const PROD = { stackOutputs: "stacks/prod.json", region: "eu-west-1", awsProfile: "acme-prod" };

describe("CLI profiles", () => {
  it("live in ~/.config/feedback-triage/profiles.json unless XDG_CONFIG_HOME or FEEDBACK_PROFILES_FILE say otherwise", () => {
    expect(profilesPath({ HOME: "/home/ops" })).toBe("/home/ops/.config/feedback-triage/profiles.json");
    expect(profilesPath({ HOME: "/home/ops", XDG_CONFIG_HOME: "/cfg" })).toBe("/cfg/feedback-triage/profiles.json");
    expect(profilesPath({ FEEDBACK_PROFILES_FILE: "/etc/ft.json" })).toBe("/etc/ft.json");
  });

  it("turn a profile into the variables the configuration and the AWS SDK read, paths relative to the file", () => {
    const file = profilesFile({ profiles: { prod: PROD } });
    expect(profileEnvironment({ FEEDBACK_PROFILES_FILE: file }, "prod")).toEqual({
      FEEDBACK_STACK_OUTPUTS: path.join(path.dirname(file), "stacks/prod.json"),
      AWS_REGION: "eu-west-1",
      AWS_PROFILE: "acme-prod",
    });
  });

  it("point the tickets commands at the stack's operator API, in AWS mode, signed with the profile's AWS profile", () => {
    const url = "https://abc123.execute-api.eu-west-1.amazonaws.com";
    const file = profilesFile({
      profiles: { prod: { operatorApiUrl: url, region: "eu-west-1", awsProfile: "acme-ops" } },
    });
    expect(profileEnvironment({ FEEDBACK_PROFILES_FILE: file }, "prod")).toEqual({
      FEEDBACK_OPERATOR_API_URL: url,
      FEEDBACK_BACKEND: "aws",
      AWS_REGION: "eu-west-1",
      AWS_PROFILE: "acme-ops",
    });
    const bad = profilesFile({ profiles: { prod: { operatorApiUrl: "abc123.execute-api" } } });
    expect(() => profileEnvironment({ FEEDBACK_PROFILES_FILE: bad }, "prod")).toThrow(
      /operatorApiUrl: an http\(s\) URL/,
    );
  });

  it("pass other settings through by their variable names", () => {
    const file = profilesFile({ profiles: { quiet: { env: { FEEDBACK_LOG_LEVEL: "warn" } } } });
    expect(profileEnvironment({ FEEDBACK_PROFILES_FILE: file }, "quiet")).toEqual({ FEEDBACK_LOG_LEVEL: "warn" });
  });

  it("refuse an unknown profile, listing the known ones", () => {
    const file = profilesFile({ profiles: { prod: PROD, staging: PROD } });
    expect(() => profileEnvironment({ FEEDBACK_PROFILES_FILE: file }, "prd")).toThrow(
      expect.objectContaining({ message: `No profile "prd" in ${file}.`, hint: "Known profiles: prod, staging." }),
    );
  });

  it("refuse a misspelt key, naming it and the allowed ones", () => {
    const file = profilesFile({ profiles: { prod: { regoin: "eu-west-1" } } });
    expect(() => profileEnvironment({ FEEDBACK_PROFILES_FILE: file }, "prod")).toThrow(
      /profiles\.prod: Unrecognized key: "regoin"/,
    );
  });

  it("say how to create the file when there is none", () => {
    const missing = path.join(tmpdir(), "ft-no-such-dir", "profiles.json");
    expect(() => profileEnvironment({ FEEDBACK_PROFILES_FILE: missing }, "prod")).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('"profiles"') }),
    );
  });
});
