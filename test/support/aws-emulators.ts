import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import dynalite from "dynalite";
import { buildApp } from "fauxqs";
import S3rver from "s3rver";
import { type AwsClients, createAwsClients, destroyAwsClients } from "../../sdk/aws/clients.js";
import { createPkSkTable } from "./dynalite.js";

/**
 * Real AWS emulators from the npm registry, started by the tests on 127.0.0.1 (a free port each) and reached
 * by the project's own clients (createAwsClients, unchanged) through the SDK's endpoint variables
 * AWS_ENDPOINT_URL_DYNAMODB / _S3 / _SQS, with dummy credentials. What each cannot check (docs/deploy-checks.md):
 * - dynalite 4.0.0 (DynamoDB): no UpdateTimeToLive (TTL never enforced), no throttling, no IAM.
 * - s3rver 3.7.1 (S3): ListObjectsV2 past 1,000 keys answers 500 (its bug), no IAM, no throttling or SlowDown.
 * - fauxqs 2.4.1 (SQS, JSON protocol; Node >= 22.5): no StartMessageMoveTask / ListMessageMoveTasks, no
 *   DeadLetterQueueSourceArn, no IAM, no throttling or partial batch failures.
 * Faults none of them produce stay on aws-sdk-client-mock (test/sdk/aws/*.test.ts).
 */
export const EMULATOR_REGION = "eu-west-1";

/**
 * Dummy credentials and the region, as a deployed task would have them from its role. s3rver accepts only its
 * own key pair (S3RVER); dynalite and fauxqs take any.
 */
function useDummyCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  process.env.AWS_REGION = EMULATOR_REGION;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

/** The project's clients as the backend creates them (one attempt: an emulator's error shows at once). */
export function emulatedClients(): AwsClients {
  useDummyCredentials();
  return createAwsClients({ settings: { region: EMULATOR_REGION }, maxAttempts: 1, retryMode: "standard" });
}

export { destroyAwsClients };

export interface Emulator {
  endpoint: string;
  close(): Promise<void>;
}

function endpointOf(address: AddressInfo | string | null): string {
  if (!address || typeof address === "string") throw new Error(`unexpected server address ${address}`);
  return `http://127.0.0.1:${address.port}`;
}

/** dynalite, in memory; sets AWS_ENDPOINT_URL_DYNAMODB. */
export async function startDynaliteEmulator(): Promise<Emulator & { createTable(name: string): Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = endpointOf(server.address());
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  useDummyCredentials();
  return {
    endpoint,
    async createTable(name) {
      const client = new DynamoDBClient({ region: EMULATOR_REGION });
      try {
        await createPkSkTable(client, name);
      } finally {
        client.destroy();
      }
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** s3rver on a scratch folder; sets AWS_ENDPOINT_URL_S3 (an IP endpoint, so the SDK addresses buckets path-style). */
export async function startS3rverEmulator(): Promise<Emulator & { createBucket(name: string): Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), "s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
  const endpoint = endpointOf(await server.run());
  process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  useDummyCredentials();
  return {
    endpoint,
    async createBucket(name) {
      const client = new S3Client({ region: EMULATOR_REGION });
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } finally {
        client.destroy();
      }
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * fauxqs, in memory; sets AWS_ENDPOINT_URL_SQS. Built with buildApp and listened on 127.0.0.1 here (its own
 * start function binds 0.0.0.0). Its queue URLs name `sqs.<region>.localhost`, which does not resolve
 * everywhere: the URLs handed out point at the endpoint instead (fauxqs finds a queue by its path).
 */
export async function startFauxqsEmulator(): Promise<
  Emulator & {
    createQueue(name: string, attributes?: Record<string, string>): Promise<{ url: string; arn: string }>;
  }
> {
  const app = buildApp({ logger: false, defaultRegion: EMULATOR_REGION });
  const endpoint = (await app.listen({ port: 0, host: "127.0.0.1" })).replace("localhost", "127.0.0.1");
  process.env.AWS_ENDPOINT_URL_SQS = endpoint;
  useDummyCredentials();
  const client = new SQSClient({ region: EMULATOR_REGION });
  return {
    endpoint,
    async createQueue(name, attributes) {
      const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      const url = `${endpoint}${new URL(created.QueueUrl!).pathname}`;
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
      );
      return { url, arn: Attributes!.QueueArn! };
    },
    async close() {
      client.destroy();
      await app.close();
    },
  };
}
