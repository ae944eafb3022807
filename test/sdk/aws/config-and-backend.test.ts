import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getStatus } from "../../../app/status/status-service.js";
import { requireAwsSettings, resolveAwsSettings } from "../../../sdk/aws/config.js";
import { databaseUrlFromSecret, resolveDatabaseUrl, SecretReader } from "../../../sdk/aws/secrets.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import type { Database } from "../../../sdk/db/open-database.js";
import { ConfigurationError } from "../../../sdk/errors.js";
import { openBackend } from "../../../sdk/open-backend.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackendDatabase } from "../../support/backend.js";
import { testBackend } from "../../support/database.js";
import { makeNewTicket } from "../../support/factories.js";
import { FakeSqs } from "./fakes/fake-sqs.js";

const credentials = { accessKeyId: "t", secretAccessKey: "t" };
const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue";
const DLQ = "https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-dlq";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:feedback-db-AbCdEf";

const outputs = {
  region: "eu-west-1",
  eventBusName: "feedback-bus",
  queueUrl: QUEUE,
  dlqUrl: DLQ,
  metricsTableName: "feedback-metrics",
  analyticsTableName: "feedback-analytics",
  artifactsBucketName: "feedback-artifacts",
  backupsBucketName: "feedback-backups",
  uploadsBucketName: "feedback-uploads",
  apiUrl: "https://abc.execute-api.eu-west-1.amazonaws.com",
  dashboardUrl: "https://dashboard.example.com",
  databaseSecretArn: SECRET,
  anthropicSecretArn: "[secret]",
};

let dir: string;
let outputsFile: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ft-aws-config-"));
  outputsFile = path.join(dir, "feedback-stack.json");
  await writeFile(outputsFile, JSON.stringify(outputs, null, 2));
});

describe("AWS configuration", () => {
  it("reads the stack outputs file and lets environment variables override it", () => {
    const settings = resolveAwsSettings({ env: { FEEDBACK_EVENT_BUS: "other-bus" }, stackOutputsFile: outputsFile });
    expect(settings).toMatchObject({
      region: "eu-west-1",
      eventBusName: "other-bus",
      queueUrl: QUEUE,
      databaseSecretArn: SECRET,
    });
    expect(settings.anthropicSecretArn).toBeUndefined();
  });

  it("works from environment variables alone", () => {
    const settings = resolveAwsSettings({ env: { AWS_REGION: "us-east-1", FEEDBACK_QUEUE_URL: QUEUE } });
    expect(requireAwsSettings(settings, ["region", "queueUrl"])).toEqual({ region: "us-east-1", queueUrl: QUEUE });
  });

  it("names each missing setting with its variable and stack output", () => {
    const settings = resolveAwsSettings({ env: { AWS_REGION: "eu-west-1" } });
    let error: unknown;
    try {
      requireAwsSettings(settings, ["region", "queueUrl", "eventBusName"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(
      /SQS processing queue URL \(set FEEDBACK_QUEUE_URL, or stack output "queueUrl"\)/,
    );
    expect((error as Error).message).toMatch(/EventBridge bus name \(set FEEDBACK_EVENT_BUS/);
    expect((error as ConfigurationError).hint).toMatch(/pulumi stack output --json/);
  });

  it("rejects malformed values naming their source, and an unreadable outputs file", () => {
    expect(() => resolveAwsSettings({ env: { FEEDBACK_QUEUE_URL: "feedback-queue" } })).toThrow(
      /queueUrl from FEEDBACK_QUEUE_URL \("feedback-queue"\) is not an SQS queue URL/,
    );
    expect(() => resolveAwsSettings({ env: { AWS_REGION: "Ireland" } })).toThrow(/region from AWS_REGION/);
    expect(() => resolveAwsSettings({ env: {}, stackOutputsFile: path.join(dir, "nope.json") })).toThrow(
      /Cannot read the stack outputs file/,
    );
  });
});

describe("database URL from Secrets Manager", () => {
  const client = new SecretsManagerClient({ region: "eu-west-1", credentials });
  const mock = mockClient(client);

  it("builds a URL from an RDS-managed secret, encoding credentials and adding sslmode", async () => {
    mock.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        username: "feed",
        password: "p@ss/w:rd",
        host: "db.internal",
        port: 5432,
        dbname: "feedback",
      }),
    });
    const reader = new SecretReader(client);
    expect(await resolveDatabaseUrl(reader, SECRET)).toBe(
      "postgres://feed:p%40ss%2Fw%3Ard@db.internal:5432/feedback?sslmode=no-verify",
    );
    await resolveDatabaseUrl(reader, SECRET, { sslMode: "verify-full" });
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(1); // cached
  });

  it("accepts a plain URL or {url}, and explains a secret it cannot use", () => {
    expect(databaseUrlFromSecret("postgres://a:b@h/d", "s")).toBe("postgres://a:b@h/d");
    expect(databaseUrlFromSecret('{"url":"postgresql://a:b@h/d"}', "s")).toBe("postgresql://a:b@h/d");
    expect(() => databaseUrlFromSecret('{"username":"u"}', "s")).toThrow(/lacks password, host/);
    expect(() => databaseUrlFromSecret("hunter2", "s")).toThrow(ConfigurationError);
  });
});

describe("openBackend in AWS mode", () => {
  let db: TestBackendDatabase;
  let closeTestBackend: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close: closeTestBackend } = await openTestBackend());
  });
  afterAll(async () => closeTestBackend?.());

  it("is chosen by a stack outputs file: kind aws, a description naming region, bus and queue, ack after commit", async () => {
    const sqs = new FakeSqs();
    sqs.createQueue("feedback-dlq");
    sqs.createQueue("feedback-queue", { deadLetterQueue: "feedback-dlq" });
    const secrets = new SecretsManagerClient({ region: "eu-west-1", credentials });
    mockClient(secrets)
      .on(GetSecretValueCommand)
      .resolves({ SecretString: "postgres://feed:secret@db.internal:5432/feedback" });
    let openedWith = "";
    const config = loadRuntimeConfig({ FEEDBACK_STACK_OUTPUTS: outputsFile });
    const backend = await openBackend({
      config,
      aws: {
        clients: {
          sqs: sqs.client,
          secrets,
          eventBridge: new EventBridgeClient({ region: "eu-west-1", credentials }),
          s3: new S3Client({ region: "eu-west-1", credentials }),
        },
        openDatabase: async (url) => {
          openedWith = url;
          return {
            sql: db.sql,
            prisma: db.prisma,
            kind: "postgres",
            dataDir: null,
            isOwner: false,
            close: async () => {}, // the test backend closes it
          } satisfies Database;
        },
      },
    });
    try {
      expect(openedWith).toBe("postgres://feed:secret@db.internal:5432/feedback?sslmode=no-verify");
      expect(backend.kind).toBe("aws");
      expect(backend.description).toBe(
        "AWS eu-west-1: EventBridge bus feedback-bus, SQS queue feedback-queue (DLQ feedback-dlq), tickets in PostgreSQL postgres://feed:***@db.internal:5432/feedback?sslmode=no-verify",
      );
      const status = await getStatus(backend, config);
      expect(status).toMatchObject({
        backend: { kind: "aws" },
        queue: { name: "feedback-queue", visible: 0 },
        dlq: { name: "feedback-dlq", depth: 0 },
      });
    } finally {
      await backend.close();
    }
  });

  // The large tier's analytics replica: two real databases, the "replica" holding different rows than the primary.
  it.skipIf(testBackend !== "postgres")(
    "reads the aggregates (overview, analytics, usage) from DATABASE_READER_URL's replica, the rest from the primary",
    async () => {
      const replica = await openTestBackend();
      try {
        await insertTickets(replica.db.sql, [makeNewTicket(), makeNewTicket(), makeNewTicket()]);
        const { rows } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets");
        const onPrimary = Number(rows[0]!.n);
        const sqs = new FakeSqs();
        sqs.createQueue("feedback-dlq");
        sqs.createQueue("feedback-queue", { deadLetterQueue: "feedback-dlq" });
        const config = loadRuntimeConfig({
          FEEDBACK_STACK_OUTPUTS: outputsFile,
          DATABASE_URL: db.url!,
          DATABASE_READER_URL: replica.db.url!,
        });
        const backend = await openBackend({
          config,
          aws: {
            clients: { sqs: sqs.client },
            openDatabase: async () => ({
              ...db,
              kind: "postgres",
              dataDir: null,
              isOwner: false,
              close: async () => {},
            }),
          },
        });
        try {
          expect((await backend.insights.overview()).total).toBe(3);
          expect((await backend.tickets.list()).total).toBe(onPrimary);
          expect(backend.description).toMatch(/, aggregate reads from postgres:\/\/.*ft_test_/);
        } finally {
          await backend.close();
        }
      } finally {
        await replica.close();
      }
    },
  );

  it("is chosen by FEEDBACK_BACKEND=aws and fails clearly when settings are missing", async () => {
    const config = loadRuntimeConfig({ FEEDBACK_BACKEND: "aws", AWS_REGION: "eu-west-1" });
    await expect(openBackend({ config })).rejects.toThrow(/AWS mode is missing .*FEEDBACK_EVENT_BUS/);
    expect(() => loadRuntimeConfig({ FEEDBACK_BACKEND: "cloud" })).toThrow(ConfigurationError);
  });

  it("says how to give a database when neither DATABASE_URL nor the secret is set", async () => {
    const env = {
      FEEDBACK_BACKEND: "aws",
      AWS_REGION: "eu-west-1",
      FEEDBACK_EVENT_BUS: "b",
      FEEDBACK_QUEUE_URL: QUEUE,
      FEEDBACK_DLQ_URL: DLQ,
      FEEDBACK_METRICS_TABLE: "m",
      FEEDBACK_ANALYTICS_TABLE: "a",
      FEEDBACK_ARTIFACTS_BUCKET: "s",
    };
    await expect(openBackend({ config: loadRuntimeConfig(env) })).rejects.toThrow(
      /neither DATABASE_URL nor the database secret/,
    );
  });
});
