import { beforeAll, describe, expect, it } from "vitest";
import { agentThreadFor, Worker, type WorkerArgs } from "../../infra/components/worker.js";
import { parseSettings } from "../../infra/config.js";
import { MIGRATION_TASK_ENV } from "../../worker/tasks/migration-settings.js";
import { ARTIFACTS, DATABASE, DLQ, EVENT_BUS, PRIVATE_SUBNETS, QUEUE, SG, TABLES } from "./support/fakes.js";
import { json, type Recording, recordProgram } from "./support/harness.js";
import { statementsOf } from "./support/iam.js";

function recordWorker(args: Partial<WorkerArgs> = {}): Promise<Recording> {
  return recordProgram(
    () =>
      new Worker("feedback-worker", {
        subnetIds: PRIVATE_SUBNETS,
        securityGroupId: SG("worker"),
        migrationSecurityGroupId: SG("migration"),
        queue: QUEUE,
        dlqUrl: DLQ.url,
        eventBusName: EVENT_BUS.name,
        tables: TABLES,
        artifacts: ARTIFACTS,
        database: DATABASE,
        ...parseSettings({ scale: "medium" }).sizing.worker,
        ...args,
      }),
  );
}

describe("worker", () => {
  let r: Recording;
  // biome-ignore lint/suspicious/noExplicitAny: parsed container definitions
  let containers: any[];
  beforeAll(async () => {
    r = await recordWorker();
    containers = json(r.named("feedback-worker-task").inputs.containerDefinitions);
  });

  it("turns Container Insights on for the cluster", () => {
    expect(r.one("aws:ecs/cluster:Cluster").inputs.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
  });

  it("runs the worker as a 2 vCPU / 4 GB Fargate task in private subnets", () => {
    const task = r.named("feedback-worker-task").inputs;
    expect([task.cpu, task.memory]).toEqual(["2048", "4096"]);
    expect(task.requiresCompatibilities).toEqual(["FARGATE"]);
    const service = r.named("feedback-worker-service").inputs;
    expect(service.networkConfiguration.subnets).toEqual([
      "feedback-network-private-0-id",
      "feedback-network-private-1-id",
    ]);
    expect(service.networkConfiguration.assignPublicIp).toBe(false);
  });

  it("starts the worker entry point with a health check on :8080/health", () => {
    const worker = containers.find((c) => c.name === "worker");
    expect(worker.command).toEqual(["node", "dist/worker/main.js"]);
    expect(worker.healthCheck.command.join(" ")).toContain("http://127.0.0.1:8080/health");
    expect(worker.logConfiguration.logDriver).toBe("awslogs");
  });

  it("sends its spans over OTLP to a trace collector sidecar that forwards them to X-Ray", () => {
    const collector = containers.find((c) => c.name === "trace-collector");
    expect(collector.image).toMatch(/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/);
    expect(collector.essential).toBe(false);
    expect(collector.command).toEqual(["--config=/etc/ecs/ecs-default-config.yaml"]);
    expect(collector.portMappings).toContainEqual({ containerPort: 4318, protocol: "tcp" });
    const env = Object.fromEntries(
      containers
        .find((c) => c.name === "worker")
        .environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env).toMatchObject({
      FEEDBACK_TRACING: "true",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
      OTEL_SERVICE_NAME: "worker",
    });
  });

  it("injects the database URL and the Anthropic key from Secrets Manager", () => {
    const worker = containers.find((c) => c.name === "worker");
    const secrets = Object.fromEntries(
      worker.secrets.map((s: { name: string; valueFrom: string }) => [s.name, s.valueFrom]),
    );
    expect(secrets.DATABASE_URL).toBe(
      "arn:aws:secretsmanager:eu-west-1:123456789012:feedback-database-app-credentials:url::",
    );
  });

  it("injects the Anthropic key only once it is set, since ECS cannot start a task on an empty secret", async () => {
    const worker = containers.find((c) => c.name === "worker");
    expect(worker.secrets.map((s: { name: string }) => s.name)).toEqual(["DATABASE_URL"]);
    const withKey = await recordWorker({ anthropicApiKey: "sk-test" });
    const [keyed] = json(withKey.named("feedback-worker-task").inputs.containerDefinitions);
    expect(keyed.secrets).toContainEqual({
      name: "ANTHROPIC_API_KEY",
      valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:feedback-worker-anthropic-key",
    });
    expect(withKey.named("feedback-worker-anthropic-key-value").inputs.secretId).toBe(
      "feedback-worker-anthropic-key-id",
    );
  });

  it("tells the worker where everything is, under the SDK's variable names", () => {
    const env = Object.fromEntries(
      containers[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env.FEEDBACK_BACKEND).toBe("aws");
    expect(env.FEEDBACK_QUEUE_URL).toContain("feedback-queue-main");
    expect(env.FEEDBACK_METRICS_TABLE).toBe("feedback-metrics-metrics");
    expect(env.FEEDBACK_TRIAGE_AGENTS).toBe("offline");
    expect(env.FEEDBACK_AGENT_THREAD).toBe("true");
  });

  it("runs the offline crew in its own thread only on a task of two vCPUs or more", () => {
    expect([1024, 2048, 4096].map(agentThreadFor)).toEqual([false, true, true]);
  });

  it("scales between 1 and 10 tasks", () => {
    const target = r.named("feedback-worker-scaling-target").inputs;
    expect([target.minCapacity, target.maxCapacity]).toEqual([1, 10]);
    expect(target.resourceId).toBe("service/feedback-worker-cluster/feedback-worker-service");
  });

  it("scales on CPU at 70%", () => {
    const cpu = r.named("feedback-worker-cpu-scaling").inputs.targetTrackingScalingPolicyConfiguration;
    expect(cpu.targetValue).toBe(70);
    expect(cpu.predefinedMetricSpecification.predefinedMetricType).toBe("ECSServiceAverageCPUUtilization");
  });

  it("scales on queue backlog per running task", () => {
    const backlog = r.named("feedback-worker-backlog-scaling").inputs.targetTrackingScalingPolicyConfiguration;
    const metrics = backlog.customizedMetricSpecification.metrics;
    expect(metrics.find((m: { id: string }) => m.id === "visible").metricStat.metric.metricName).toBe(
      "ApproximateNumberOfMessagesVisible",
    );
    expect(metrics.find((m: { id: string }) => m.id === "tasks").metricStat.metric.metricName).toBe("RunningTaskCount");
    expect(metrics.find((m: { returnData: boolean }) => m.returnData).expression).toBe("visible / tasks");
    expect(backlog.targetValue).toBe(100);
  });

  it("lets the worker receive, delete and extend messages of its own queue only", () => {
    const queue = statementsOf(r, "feedback-worker-task-policy").find((s) => s.Sid === "WorkQueue")!;
    expect(queue.Action).toEqual([
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
    ]);
    expect(queue.Resource).toBe("arn:aws:sqs:eu-west-1:123456789012:feedback-queue-main");
  });

  it("lets the worker write its tables, its artifacts prefix and read its three secrets", () => {
    const statements = statementsOf(r, "feedback-worker-task-policy");
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.MetricsTables!.Resource).toHaveLength(2);
    expect(bySid.Artifacts!.Resource).toBe("arn:aws:s3:::feedback-storage-artifacts-bucket/*");
    expect(bySid.Secrets!.Action).toBe("secretsmanager:GetSecretValue");
    expect(bySid.Secrets!.Resource).toHaveLength(3);
    expect(bySid.Secrets!.Resource).toContain(
      "arn:aws:secretsmanager:eu-west-1:123456789012:feedback-worker-integration-secrets",
    );
  });

  it("keeps the integrations' secret an operator's to fill: an empty JSON object first, later values kept", () => {
    const initial = r.named("feedback-worker-integration-secrets-initial");
    expect(initial.inputs.secretString).toMatchObject({ value: "{}" }); // Pulumi keeps it as a secret output
    expect(initial.inputs.secretId).toBe("feedback-worker-integration-secrets-id");
    const env = Object.fromEntries(
      containers[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env.FEEDBACK_INTEGRATION_SECRETS_ARN).toBe(
      "arn:aws:secretsmanager:eu-west-1:123456789012:feedback-worker-integration-secrets",
    );
  });

  it("rolls back a failed deployment and leaves desiredCount to auto scaling", () => {
    const service = r.named("feedback-worker-service").inputs;
    expect(service.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(service.desiredCount).toBe(1);
  });

  it("builds the worker image from worker/Dockerfile", () => {
    const image = r.named("feedback-worker-image").inputs;
    expect(image.dockerfile).toBe("worker/Dockerfile");
    expect(image.platform).toBe("linux/amd64");
  });
});

describe("migration step", () => {
  let r: Recording;
  beforeAll(async () => {
    r = await recordWorker({ image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.2.3" });
  });

  it("runs the same image as the worker with the migration command", () => {
    const [container] = json(r.named("feedback-worker-migration-task").inputs.containerDefinitions);
    expect(container.image).toBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.2.3");
    expect(container.command).toEqual(["node", "dist/worker/tasks/migrate.js"]);
    expect(r.ofType("awsx:ecr:Image").map((i) => i.name)).not.toContain("feedback-worker-image");
  });

  it("gives the migration task the master credentials, which the worker never sees", () => {
    const [container] = json(r.named("feedback-worker-migration-task").inputs.containerDefinitions);
    expect(container.secrets.map((s: { name: string }) => s.name)).toEqual([
      "DB_MASTER_USERNAME",
      "DB_MASTER_PASSWORD",
      "APP_DB_PASSWORD",
    ]);
    const workerSecrets = json(r.named("feedback-worker-task").inputs.containerDefinitions)[0].secrets;
    expect(JSON.stringify(workerSecrets)).not.toContain("rds!");
  });

  it("sets exactly the variables the migration task reads (worker/tasks/migration-settings.ts)", () => {
    const [container] = json(r.named("feedback-worker-migration-task").inputs.containerDefinitions);
    const given = [...container.environment, ...container.secrets].map((v: { name: string }) => v.name);
    expect(given.sort()).toEqual(Object.values(MIGRATION_TASK_ENV).sort());
  });

  it("runs the migration during deployment, again whenever the task definition or image changes", () => {
    const run = r.named("feedback-worker-migration-run").inputs;
    expect(json(run.input).taskDefinition).toBe(
      "arn:aws:ecs:eu-west-1:123456789012:task-definition/feedback-worker-migration-task:1",
    );
    expect(Object.keys(run.triggers).sort()).toEqual(["image", "taskDefinition"]);
    expect(r.named("feedback-worker-migration-runner-fn").inputs.timeout).toBe(900);
  });

  it("lets the runner start only the migration task family", () => {
    const run = statementsOf(r, "feedback-worker-migration-runner-policy").find((s) => s.Action === "ecs:RunTask")!;
    expect(run.Resource).toBe("arn:aws:ecs:eu-west-1:123456789012:task-definition/feedback-worker-migration-task:*");
  });
});
