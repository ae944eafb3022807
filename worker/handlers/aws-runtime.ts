import { type AwsClients, createAwsClients } from "../../sdk/aws/clients.js";
import { type AwsSettingKey, type AwsSettings, requireAwsSettings, resolveAwsSettings } from "../../sdk/aws/config.js";
import { SecretReader } from "../../sdk/aws/secrets.js";

/**
 * What the Lambda handlers share per container: one client per service, created on first use and
 * reused by warm invocations; settings read from the function's environment (FEEDBACK_*, AWS_REGION).
 * Nothing happens at import time, so the handlers bundle and load cleanly.
 */
let clients: AwsClients | undefined;
let secrets: SecretReader | undefined;

export function awsClients(): AwsClients {
  clients ??= createAwsClients(process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION);
  return clients;
}

export function secretReader(): SecretReader {
  secrets ??= new SecretReader(awsClients().secrets);
  return secrets;
}

export function awsSettings<K extends AwsSettingKey>(keys: readonly K[]): Required<Pick<AwsSettings, K>> & AwsSettings {
  const settings = resolveAwsSettings();
  return { ...settings, ...requireAwsSettings(settings, keys) };
}
