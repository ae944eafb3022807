import { defaultProvider } from "@aws-sdk/credential-provider-node";

/**
 * The credentials the AWS SDK's clients would use here: AWS_PROFILE (a CLI profile's `awsProfile`) with SSO, an
 * assumed role or keys, else the environment's, the container's or the instance's. Resolved (and refreshed) on use.
 */
export function sdkCredentials(): () => Promise<{
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}> {
  return defaultProvider();
}
