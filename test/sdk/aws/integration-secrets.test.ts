import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { secretResolver } from "../../../app/integrations/secrets.js";
import { secretsManagerLookup } from "../../../sdk/aws/integration-secrets.js";
import { SecretReader } from "../../../sdk/aws/secrets.js";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:feedback-integrations-AbCdEf";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

describe("integration secrets from Secrets Manager", () => {
  const client = new SecretsManagerClient({ region: "eu-west-1", credentials });
  const mock = mockClient(client);
  beforeEach(() => mock.reset());

  const store = (value: Record<string, unknown> | string) => {
    mock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: typeof value === "string" ? value : JSON.stringify(value) });
    return secretsManagerLookup(new SecretReader(client), SECRET_ARN);
  };

  it("reads env:NAME from the secret's JSON key before the environment", async () => {
    const resolve = secretResolver({ TEAM_HOOK_SECRET: "whsec_from_env" }, store({ TEAM_HOOK_SECRET: "whsec_stored" }));
    expect(await resolve("env:TEAM_HOOK_SECRET")).toBe("whsec_stored");
    expect(mock.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN });
  });

  it("falls back to the environment for a name the secret does not hold", async () => {
    const resolve = secretResolver({ SLACK_URL: "https://hooks.slack.test/x" }, store({ OTHER: "x" }));
    expect(await resolve("env:SLACK_URL")).toBe("https://hooks.slack.test/x");
    await expect(resolve("env:NOWHERE")).rejects.toThrow("No secret at env:NOWHERE");
  });

  it("reads the secret once for five minutes, then again: a rotation is picked up", async () => {
    let now = 0;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      mock
        .on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: '{"TOKEN":"old"}' })
        .resolves({ SecretString: '{"TOKEN":"new"}' });
      const resolve = secretResolver({}, secretsManagerLookup(new SecretReader(client), SECRET_ARN));
      expect(await resolve("env:TOKEN")).toBe("old");
      now = 4 * 60_000;
      expect(await resolve("env:TOKEN")).toBe("old");
      now = 5 * 60_000 + 1;
      expect(await resolve("env:TOKEN")).toBe("new");
      expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    } finally {
      Date.now = realNow;
    }
  });

  it("explains a secret that is not a JSON object", async () => {
    const resolve = secretResolver({}, store("whsec_plain"));
    await expect(resolve("env:TEAM_HOOK_SECRET")).rejects.toThrow(
      `Secret ${SECRET_ARN} is not a JSON object of variable names to secrets`,
    );
  });

  it("leaves file:/path references to the file", async () => {
    const resolve = secretResolver({}, store({}));
    await expect(resolve("file:/nonexistent/secret")).rejects.toThrow("No secret at file:/nonexistent/secret");
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
