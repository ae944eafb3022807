// Invoked once per deployment by an aws.lambda.Invocation (before the worker and dashboard update):
// makes sure the application role has credentials, runs the migration task on Fargate and waits for it.
// Plain JavaScript on the AWS SDK the Lambda runtime ships, so it needs no bundling.
import { DescribeTasksCommand, ECSClient, RunTaskCommand } from "@aws-sdk/client-ecs";
import {
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";

const ecs = new ECSClient({});
const secrets = new SecretsManagerClient({});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function url({ username, password, host, port, database }) {
  return `postgres://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${port}/${database}?sslmode=verify-full`;
}

async function currentSecret(secretId) {
  try {
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    return SecretString ? JSON.parse(SecretString) : undefined;
  } catch (error) {
    if (error.name === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

/**
 * The application role's secret: credentials, the primary's URL and, where the stack has a read replica
 * (`readerHost`), the replica's URL for the aggregate reads (the same role and password: a replica copies them).
 */
export function appCredentials(input, password) {
  const value = { username: input.appUsername, password, host: input.host, port: input.port, dbname: input.database };
  return {
    ...value,
    url: url({ ...value, database: input.database }),
    ...(input.readerHost ? { readerUrl: url({ ...value, host: input.readerHost, database: input.database }) } : {}),
  };
}

/** Keeps an existing password (rotation changes it on purpose); refreshes host and URLs. */
async function ensureAppCredentials(input) {
  const existing = await currentSecret(input.appSecretArn);
  let password = existing?.password;
  if (!password) {
    const generated = await secrets.send(
      new GetRandomPasswordCommand({ PasswordLength: 40, ExcludePunctuation: true }),
    );
    password = generated.RandomPassword;
  }
  const next = JSON.stringify(appCredentials(input, password));
  if (JSON.stringify(existing) !== next) {
    await secrets.send(new PutSecretValueCommand({ SecretId: input.appSecretArn, SecretString: next }));
  }
}

export const handler = async (input, context) => {
  await ensureAppCredentials(input);
  const run = await ecs.send(
    new RunTaskCommand({
      cluster: input.cluster,
      taskDefinition: input.taskDefinition,
      launchType: "FARGATE",
      count: 1,
      startedBy: "pulumi-migration",
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: input.subnets,
          securityGroups: input.securityGroups,
          assignPublicIp: "DISABLED",
        },
      },
    }),
  );
  const taskArn = run.tasks?.[0]?.taskArn;
  if (!taskArn) throw new Error(`The migration task did not start: ${JSON.stringify(run.failures ?? [])}`);
  while (context.getRemainingTimeInMillis() > 20_000) {
    await sleep(10_000);
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: input.cluster, tasks: [taskArn] }));
    const task = tasks?.[0];
    if (task?.lastStatus !== "STOPPED") continue;
    const container = task.containers?.find((c) => c.name === input.container);
    if (container?.exitCode === 0) return { taskArn, exitCode: 0 };
    throw new Error(
      `Migration task ${taskArn} failed (exit ${container?.exitCode}, ${task.stoppedReason}); see its CloudWatch logs`,
    );
  }
  throw new Error(`Migration task ${taskArn} still running when the runner timed out`);
};
