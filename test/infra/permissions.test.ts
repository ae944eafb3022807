import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/bundle.js";
import { INGESTION_HANDLER } from "../../infra/components/ingestion.js";
import { OPERATOR_HANDLER } from "../../infra/components/operator-api.js";
import { SOURCE_HANDLERS } from "../../infra/components/sources.js";
import { STORE_PULL_HANDLER } from "../../infra/components/store-pull.js";
import { TRACKER_EVENTS_HANDLER } from "../../infra/components/tracker-events.js";
import { AWS_SETTINGS, BACKEND_SETTINGS } from "../../sdk/aws/config.js";
import {
  type AwsCall,
  actionsOf,
  awsCalls,
  comparePermissions,
  type PolicyStatement,
  reachableFiles,
} from "./support/aws-calls.js";
import { json, type RecordedResource, type Recording } from "./support/harness.js";
import { EXAMPLE_DASHBOARD, recordStack } from "./support/stack.js";

/**
 * Permissions derived from the code: for each component, the AWS actions its code can call (read from the
 * SDK commands in the files reachable from its entry point, see support/aws-calls.ts) against what its role's
 * policy in the Pulumi program allows (the whole stack recorded under mocks). A call without a grant fails
 * the test with the call sites; grants no code calls are listed and must be accounted for.
 *
 * What this cannot see: which resource each call reaches (that comes from settings at run time; the
 * component tests check each statement's resources), calls made through a module the static scan cannot
 * follow (a computed import path), and conditions. Reachable is more than called, so each component lists the
 * reachable actions it never calls, with the reason; the test fails if such an entry goes stale.
 */
interface Component {
  name: string;
  entries: string[];
  /** The recorded inline policy of the role the code runs as; none: the task has no role and may call nothing. */
  policy?: string;
  /** Reachable actions this component never calls, each with the reason. */
  notCalled?: Record<string, string>;
}

const OWN_DLQ = "the handler only sends to the work queue; SqsQueue's receive side is in the same module";
const TICKETS_ONLY =
  "the operator Lambda opens the stack's backend but answers only ticket reads and changes, which touch the database alone";
const TRACKER_STATUS_ONLY =
  "the tracker events Lambda opens the stack's backend but only closes or reopens linked tickets, in the database";
/** What the backend's DynamoDB, S3 and SQS adapters can call: reachable from a Lambda that opens it, unused by one that needs the database (and the bus). */
const DATABASE_ONLY_ADAPTERS = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
  "s3:AbortMultipartUpload",
  "s3:GetObject",
  "s3:ListBucket",
  "s3:PutObject",
  "sqs:ChangeMessageVisibility",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:ListMessageMoveTasks",
  "sqs:ReceiveMessage",
  "sqs:SendMessage",
  "sqs:StartMessageMoveTask",
];
const PULL_ONLY =
  "the pull Lambda opens the stack's backend but only reads the sources, checks tickets and publishes on the bus";
const NO_DATABASE_SECRET = "the Lambda opens no database; the secret reader is in the shared AWS client module";
const COMPONENTS: Component[] = [
  {
    name: "worker (Fargate task)",
    entries: ["worker/main.ts"],
    policy: "feedback-worker-task-policy",
    notCalled: {
      "events:PutEvents": "the worker consumes the queue; the bus publisher is built with the backend but never used",
      "sqs:SendMessage": "the worker never enqueues; SQS's redrive policy moves failed messages to the DLQ",
      "sqs:StartMessageMoveTask": "replaying dead letters is the dashboard's and the CLI's, never the worker's",
      "sqs:ListMessageMoveTasks": "replaying dead letters is the dashboard's and the CLI's, never the worker's",
    },
  },
  {
    name: "dashboard (Fargate task)",
    entries: ["dashboard/server.ts"],
    policy: "feedback-dashboard-task-policy",
    notCalled: {
      "dynamodb:PutItem": "failure records are written when the worker gives a message back with an error",
      "s3:PutObject": "the dashboard reads artifacts, it never writes them",
      "s3:AbortMultipartUpload": "the dashboard reads artifacts, it never writes them",
      "s3:ListBucket": "the dashboard reads artifacts by key, it never lists them",
    },
  },
  {
    name: "ingestion Lambda",
    entries: [INGESTION_HANDLER],
    policy: "feedback-ingestion-lambda-policy",
    notCalled: {
      "sqs:ReceiveMessage": OWN_DLQ,
      "sqs:DeleteMessage": OWN_DLQ,
      "sqs:ChangeMessageVisibility": OWN_DLQ,
      "secretsmanager:GetSecretValue": NO_DATABASE_SECRET,
    },
  },
  {
    name: "webhook Lambda",
    entries: [SOURCE_HANDLERS.webhook],
    policy: "feedback-sources-webhook-lambda-policy",
  },
  {
    name: "upload Lambda",
    entries: [SOURCE_HANDLERS.upload],
    policy: "feedback-sources-upload-lambda-policy",
    notCalled: {
      "s3:ListBucket": "the upload report is written, never listed",
      "secretsmanager:GetSecretValue": NO_DATABASE_SECRET,
    },
  },
  {
    name: "e-mail Lambda",
    entries: [SOURCE_HANDLERS.email],
    policy: "feedback-sources-email-lambda-policy",
    notCalled: { "secretsmanager:GetSecretValue": NO_DATABASE_SECRET },
  },
  {
    name: "operator API Lambda",
    entries: [OPERATOR_HANDLER],
    policy: "feedback-operator-lambda-policy",
    notCalled: Object.fromEntries(
      [...DATABASE_ONLY_ADAPTERS, "events:PutEvents"].map((action) => [action, TICKETS_ONLY]),
    ),
  },
  {
    name: "tracker events Lambda",
    entries: [TRACKER_EVENTS_HANDLER],
    policy: "feedback-tracker-events-lambda-policy",
    notCalled: Object.fromEntries(
      [...DATABASE_ONLY_ADAPTERS, "events:PutEvents"].map((action) => [action, TRACKER_STATUS_ONLY]),
    ),
  },
  {
    name: "store pull Lambda",
    entries: [STORE_PULL_HANDLER],
    policy: "feedback-store-pull-lambda-policy",
    notCalled: Object.fromEntries(DATABASE_ONLY_ADAPTERS.map((action) => [action, PULL_ONLY])),
  },
  {
    name: "migration runner Lambda",
    entries: ["infra/lambdas/run-migration.mjs"],
    policy: "feedback-worker-migration-runner-policy",
  },
  {
    name: "backup task",
    entries: ["worker/tasks/backup.ts"],
    policy: "feedback-backup-task-policy",
    notCalled: {
      "s3:GetObject": "the dump goes up through the artifacts adapter, whose read side the task never uses",
      "s3:ListBucket": "the dump goes up through the artifacts adapter, whose listing the task never uses",
    },
  },
  // The migration task runs without a task role: it talks to PostgreSQL only, with secrets ECS injects.
  { name: "migration task", entries: ["worker/tasks/migrate.ts"] },
];

/**
 * Role policies of AWS services acting for the stack, not of code it runs: ECS pulling secrets into a task,
 * flow logs, EventBridge Scheduler starting a task or a Lambda (the small tier records no others). Every other
 * role policy belongs to a component above.
 */
const SERVICE_ROLE_POLICIES = [
  "feedback-network-flow-logs-policy",
  "feedback-worker-execution-secrets",
  "feedback-dashboard-execution-secrets",
  "feedback-backup-execution-secrets",
  "feedback-worker-migration-execution-secrets",
  "feedback-backup-scheduler-policy",
  "feedback-store-pull-scheduler-policy",
];
const LAMBDA_FUNCTION = "feedback:lambda:NodeFunction";

/** A role policy some of the stack's code runs under: a Lambda's own, or an ECS task role's. */
function isComponentPolicy(policy: RecordedResource): boolean {
  return policy.parent.startsWith(`${LAMBDA_FUNCTION}::`) || policy.name.endsWith("-task-policy");
}

/** Grants the platform uses on the code's behalf: logs, X-Ray, and a Lambda's own DLQ for failed invocations. */
function platformStatement(policy: string, statement: PolicyStatement): boolean {
  const actions = [statement.Action].flat();
  if (actions.every((a) => a.startsWith("logs:") || a.startsWith("xray:"))) return true;
  const ownDlq = `${policy.replace(/-policy$/, "")}-dlq`;
  return actions.join() === "sqs:SendMessage" && [statement.Resource].flat().every((r) => r.endsWith(`:${ownDlq}`));
}

function codeStatements(recording: Recording, policy: string): PolicyStatement[] {
  const statements = json(recording.named(policy).inputs.policy).Statement as PolicyStatement[];
  return statements.filter((s) => !platformStatement(policy, s));
}

/** Grants no code calls. Each is a decision: the reason it stays, or remove it. */
const UNUSED_GRANTS: Record<string, string[]> = {};

describe("IAM permissions derived from the code", () => {
  let recording: Recording;
  const calls = new Map<string, AwsCall[]>();
  beforeAll(async () => {
    recording = await recordStack(EXAMPLE_DASHBOARD);
    for (const component of COMPONENTS)
      calls.set(component.name, awsCalls(REPO_ROOT, reachableFiles(REPO_ROOT, component.entries)));
  });

  for (const component of COMPONENTS) {
    it(`grants the ${component.name} every AWS action its code calls, and lists what it grants unused`, () => {
      const called = calls.get(component.name)!;
      const notCalled = component.notCalled ?? {};
      if (!component.policy) {
        expect(actionsOf(called), "a component without a role may call no AWS API").toEqual([]);
        return;
      }
      const report = comparePermissions(called, codeStatements(recording, component.policy), Object.keys(notCalled));
      expect(report.missing, `${component.policy} lacks actions the code calls`).toEqual([]);
      expect(report.unused, `${component.policy} grants actions no code calls`).toEqual(
        UNUSED_GRANTS[component.name] ?? [],
      );
      // A "never called" entry must still be reachable and not granted, or it is stale.
      const reachable = actionsOf(called);
      expect(Object.keys(notCalled).filter((action) => !reachable.includes(action))).toEqual([]);
      const granted = comparePermissions(
        Object.keys(notCalled).map((action) => ({ action, site: "notCalled" })),
        codeStatements(recording, component.policy),
      );
      expect(granted.missing.map((m) => m.action).sort()).toEqual(Object.keys(notCalled).sort());
    });
  }

  it("checks every Lambda and task role the stack creates, and exempts only the listed service roles", () => {
    const policies = recording.ofType("aws:iam/rolePolicy:RolePolicy");
    const checked = COMPONENTS.flatMap((c) => (c.policy ? [c.policy] : []));
    const components = policies.filter(isComponentPolicy).map((p) => p.name);
    expect(
      components.filter((name) => !checked.includes(name)),
      "roles no component checks",
    ).toEqual([]);
    const others = policies.filter((p) => !isComponentPolicy(p)).map((p) => p.name);
    expect(
      others.filter((name) => !SERVICE_ROLE_POLICIES.includes(name)),
      "roles neither checked nor exempt",
    ).toEqual([]);
    expect(
      checked.filter((name) => !components.includes(name)),
      "components whose role is gone",
    ).toEqual([]);
  });

  it("fails when a grant the code needs is removed, naming the action and where it is called", () => {
    const dashboard = COMPONENTS.find((c) => c.name.startsWith("dashboard"))!;
    const statements = codeStatements(recording, dashboard.policy!).map((s) => ({
      ...s,
      Action: [s.Action].flat().filter((a) => a !== "dynamodb:BatchWriteItem"),
    }));
    const report = comparePermissions(calls.get(dashboard.name)!, statements, Object.keys(dashboard.notCalled ?? {}));
    expect(report.missing).toEqual([
      {
        action: "dynamodb:BatchWriteItem",
        sites: [expect.stringMatching(/^sdk\/aws\/metrics\.ts: BatchWriteCommand$/)],
      },
    ]);

    const worker = COMPONENTS.find((c) => c.name.startsWith("worker"))!;
    const withoutAbort = codeStatements(recording, worker.policy!).map((s) => ({
      ...s,
      Action: [s.Action].flat().filter((a) => a !== "s3:AbortMultipartUpload"),
    }));
    expect(
      comparePermissions(calls.get(worker.name)!, withoutAbort, Object.keys(worker.notCalled ?? {})).missing,
    ).toEqual([{ action: "s3:AbortMultipartUpload", sites: ["sdk/aws/artifacts.ts: Upload"] }]);
  });

  it("maps SDK commands to IAM actions: batches, lib-dynamodb, lib-storage, list and move tasks", () => {
    const all = new Set([...calls.values()].flat().map((c) => c.action));
    for (const action of [
      "sqs:SendMessage",
      "sqs:DeleteMessage",
      "dynamodb:BatchWriteItem",
      "dynamodb:UpdateItem",
      "s3:PutObject",
      "s3:AbortMultipartUpload",
      "s3:ListBucket",
      "iam:PassRole",
    ])
      expect(all, action).toContain(action);
    expect([...all].some((action) => /Batch$|Command$|ListObjectsV2|:Upload$/.test(action))).toBe(false);
  });

  it("gives the worker and the dashboard every setting their AWS backend requires", () => {
    for (const task of ["feedback-worker-task", "feedback-dashboard-task"]) {
      const [container] = json(recording.named(task).inputs.containerDefinitions);
      const names = (container.environment as { name: string }[]).map((e) => e.name);
      const missing = BACKEND_SETTINGS.map((key) => AWS_SETTINGS[key].env).filter((env) => !names.includes(env));
      expect(missing, task).toEqual([]);
    }
  });
});
