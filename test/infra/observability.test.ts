import { beforeAll, describe, expect, it } from "vitest";
import { Observability, type ObservabilityArgs } from "../../infra/components/observability.js";
import { json, type Recording, recordProgram } from "./support/harness.js";

const FULL: ObservabilityArgs = {
  functions: ["ingestion", "upload", "webhook", "email"].map((key) => ({ key, name: `feedback-${key}-fn` })),
  queueName: "feedback-queue-main",
  deadLetterQueues: ["work-dlq", "events-dlq", "ingestion-dlq"].map((key) => ({ key, name: `feedback-${key}` })),
  services: [
    { key: "worker", cluster: "feedback-worker-cluster", service: "feedback-worker-service" },
    { key: "dashboard", cluster: "feedback-worker-cluster", service: "feedback-dashboard-service" },
  ],
  database: { identifier: "feedback-database-postgres", allocatedStorageGb: 20, maxConnections: 225 },
  api: { name: "feedback-sources-api", stage: "v1" },
  distributionId: "E123",
  alarmEmail: "ops@example.com",
  guardDuty: true,
};

describe("observability", () => {
  let r: Recording;
  let quiet: Recording;
  beforeAll(async () => {
    r = await recordProgram(() => new Observability("feedback-observability", FULL));
    quiet = await recordProgram(
      () => new Observability("feedback-observability", { ...FULL, cloudTrail: false, guardDuty: false }),
    );
  });
  const alarm = (key: string) => r.named(`feedback-observability-${key}`).inputs;

  it("alarms on Lambda errors and throttles for every function", () => {
    for (const fn of ["ingestion", "upload", "webhook", "email"]) {
      expect(alarm(`${fn}-errors`).metricName).toBe("Errors");
      expect(alarm(`${fn}-throttles`).metricName).toBe("Throttles");
    }
  });

  it("alarms on queue depth and on the age of the oldest message", () => {
    expect(alarm("queue-depth").metricName).toBe("ApproximateNumberOfMessagesVisible");
    expect(alarm("queue-oldest").metricName).toBe("ApproximateAgeOfOldestMessage");
    expect(alarm("queue-oldest").threshold).toBe(900);
  });

  it("alarms as soon as any dead-letter queue holds a message", () => {
    const dlq = alarm("work-dlq-not-empty");
    expect([dlq.threshold, dlq.comparisonOperator]).toEqual([1, "GreaterThanOrEqualToThreshold"]);
    expect(
      r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.endsWith("-not-empty")),
    ).toHaveLength(3);
  });

  it("alarms on ECS CPU and memory, RDS CPU, connections and free storage", () => {
    expect(alarm("worker-cpu").namespace).toBe("AWS/ECS");
    expect(alarm("dashboard-memory").metricName).toBe("MemoryUtilization");
    expect(alarm("db-cpu").namespace).toBe("AWS/RDS");
    expect(alarm("db-connections").metricName).toBe("DatabaseConnections");
    expect(alarm("db-free-storage").comparisonOperator).toBe("LessThanThreshold");
  });

  it("alarms on API Gateway 5xx and p95 latency, and on CloudFront 5xx in us-east-1", () => {
    expect(alarm("api-5xx").metricName).toBe("5XXError");
    expect(alarm("api-latency").extendedStatistic).toBe("p95");
    expect(alarm("cdn-5xx").region).toBe("us-east-1");
    expect(alarm("cdn-5xx").alarmActions).toEqual([
      "arn:aws:sns:eu-west-1:123456789012:feedback-observability-alarms-us-east-1",
    ]);
  });

  it("sends every alarm to the SNS topic, which mails the operator", () => {
    const regional = r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => !a.inputs.region);
    expect(
      regional.every(
        (a) => a.inputs.alarmActions[0] === "arn:aws:sns:eu-west-1:123456789012:feedback-observability-alarms",
      ),
    ).toBe(true);
    expect(r.named("feedback-observability-alarms-email").inputs.endpoint).toBe("ops@example.com");
  });

  it("graphs every alarmed metric on a CloudWatch dashboard", () => {
    const body = json(r.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
    expect(body.widgets).toHaveLength(r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length);
    expect(body.widgets.every((w: { properties: { region: string } }) => w.properties.region)).toBe(true);
  });

  it("records API calls with a validated multi-region CloudTrail, and can turn it off", () => {
    const trail = r.one("aws:cloudtrail/trail:Trail").inputs;
    expect(trail.isMultiRegionTrail).toBe(true);
    expect(trail.enableLogFileValidation).toBe(true);
    expect(quiet.ofType("aws:cloudtrail/trail:Trail")).toEqual([]);
  });

  it("enables GuardDuty when configured", () => {
    expect(r.one("aws:guardduty/detector:Detector").inputs.enable).toBe(true);
    expect(quiet.ofType("aws:guardduty/detector:Detector")).toEqual([]);
  });
});
