import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";
import { SecureBucket } from "./bucket.js";

type In = pulumi.Input<string>;

export interface ObservabilityArgs {
  functions: { key: string; name: In }[];
  queueName: In;
  deadLetterQueues: { key: string; name: In }[];
  services: { key: string; cluster: In; service: In }[];
  database?: { identifier: In; allocatedStorageGb: number; maxConnections: number };
  api?: { name: In; stage: In };
  distributionId?: In;
  alarmEmail?: string;
  cloudTrail?: boolean;
  guardDuty?: boolean;
  /** The nightly backup's "backup stored" metric (infra/components/backup.ts): alarms when a day has none. */
  backup?: { namespace: string; metricName: string };
  queueDepthThreshold?: number;
  oldestMessageSeconds?: number;
  forceDestroy?: boolean;
}

export interface AlarmSpec {
  key: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, In>;
  statistic?: string;
  extendedStatistic?: string;
  comparisonOperator: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold";
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
  /** CloudFront publishes its metrics in us-east-1 only. */
  region?: string;
  /** Default notBreaching: no data is no trouble. breaching: the metric must show up (a heartbeat). */
  treatMissingData?: "breaching" | "notBreaching";
}

const gt = "GreaterThanThreshold" as const;
const gte = "GreaterThanOrEqualToThreshold" as const;

/** Every alarm the architecture asks for, as data (the component turns each into a MetricAlarm). */
export function alarmSpecs(args: ObservabilityArgs): AlarmSpec[] {
  const specs: AlarmSpec[] = [];
  const add = (spec: Omit<AlarmSpec, "periodSeconds" | "evaluationPeriods"> & Partial<AlarmSpec>) =>
    specs.push({ periodSeconds: 300, evaluationPeriods: 1, ...spec });
  for (const fn of args.functions) {
    const dimensions = { FunctionName: fn.name };
    add({
      key: `${fn.key}-errors`,
      description: `Lambda ${fn.key} is failing`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions,
      statistic: "Sum",
      comparisonOperator: gte,
      threshold: 1,
    });
    add({
      key: `${fn.key}-throttles`,
      description: `Lambda ${fn.key} is throttled`,
      namespace: "AWS/Lambda",
      metricName: "Throttles",
      dimensions,
      statistic: "Sum",
      comparisonOperator: gte,
      threshold: 1,
    });
  }
  const queue = { QueueName: args.queueName };
  add({
    key: "queue-depth",
    description: "Work is piling up in the queue",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: queue,
    statistic: "Maximum",
    comparisonOperator: gt,
    threshold: args.queueDepthThreshold ?? 1000,
    evaluationPeriods: 3,
  });
  add({
    key: "queue-oldest",
    description: "The oldest queued item has waited too long",
    namespace: "AWS/SQS",
    metricName: "ApproximateAgeOfOldestMessage",
    dimensions: queue,
    statistic: "Maximum",
    comparisonOperator: gt,
    threshold: args.oldestMessageSeconds ?? 900,
    evaluationPeriods: 2,
  });
  if (args.backup) {
    // A day (UTC) without a stored dump: the task failed, did not start, or was never scheduled.
    add({
      key: "backup-missing",
      description: "No database backup was stored today (docs/runbook.md, section 1b)",
      namespace: args.backup.namespace,
      metricName: args.backup.metricName,
      dimensions: {},
      statistic: "Sum",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      periodSeconds: 86_400,
      treatMissingData: "breaching",
    });
  }
  for (const dlq of args.deadLetterQueues) {
    add({
      key: `${dlq.key}-not-empty`,
      description: `Dead letters in ${dlq.key}: inspect and redrive (docs/runbook.md)`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: dlq.name },
      statistic: "Maximum",
      comparisonOperator: gte,
      threshold: 1,
      periodSeconds: 60,
    });
  }
  for (const svc of args.services) {
    const dimensions = { ClusterName: svc.cluster, ServiceName: svc.service };
    add({
      key: `${svc.key}-cpu`,
      description: `${svc.key} CPU is high`,
      namespace: "AWS/ECS",
      metricName: "CPUUtilization",
      dimensions,
      statistic: "Average",
      comparisonOperator: gt,
      threshold: 85,
      evaluationPeriods: 3,
    });
    add({
      key: `${svc.key}-memory`,
      description: `${svc.key} memory is high`,
      namespace: "AWS/ECS",
      metricName: "MemoryUtilization",
      dimensions,
      statistic: "Average",
      comparisonOperator: gt,
      threshold: 85,
      evaluationPeriods: 3,
    });
  }
  if (args.database) {
    const dimensions = { DBInstanceIdentifier: args.database.identifier };
    add({
      key: "db-cpu",
      description: "Database CPU is high",
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions,
      statistic: "Average",
      comparisonOperator: gt,
      threshold: 80,
      evaluationPeriods: 3,
    });
    add({
      key: "db-connections",
      description: "Database connections near the limit",
      namespace: "AWS/RDS",
      metricName: "DatabaseConnections",
      dimensions,
      statistic: "Maximum",
      comparisonOperator: gt,
      threshold: Math.floor(args.database.maxConnections * 0.8),
    });
    // Below a tenth of the allocated storage (bytes).
    add({
      key: "db-free-storage",
      description: "Database storage is running out",
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      dimensions,
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: args.database.allocatedStorageGb * 1024 ** 3 * 0.1,
    });
  }
  if (args.api) {
    const dimensions = { ApiName: args.api.name, Stage: args.api.stage };
    add({
      key: "api-5xx",
      description: "The HTTP API returns server errors",
      namespace: "AWS/ApiGateway",
      metricName: "5XXError",
      dimensions,
      statistic: "Sum",
      comparisonOperator: gte,
      threshold: 5,
    });
    add({
      key: "api-latency",
      description: "The HTTP API is slow (p95)",
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      dimensions,
      extendedStatistic: "p95",
      comparisonOperator: gt,
      threshold: 2000,
      evaluationPeriods: 3,
    });
  }
  if (args.distributionId) {
    add({
      key: "cdn-5xx",
      description: "The dashboard's CloudFront distribution returns server errors",
      namespace: "AWS/CloudFront",
      metricName: "5xxErrorRate",
      dimensions: { DistributionId: args.distributionId, Region: "Global" },
      statistic: "Average",
      comparisonOperator: gt,
      threshold: 5,
      region: "us-east-1",
    });
  }
  return specs;
}

/** Alarms to an SNS topic, a CloudWatch dashboard of the same metrics, CloudTrail and GuardDuty. */
export class Observability extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly alarms: aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:observability:Observability", name, {}, opts);
    const parent = { parent: this };
    const specs = alarmSpecs(args);
    this.topic = this.alarmTopic(name, "alarms", args.alarmEmail);
    const globalTopic = specs.some((s) => s.region)
      ? this.alarmTopic(name, "alarms-us-east-1", args.alarmEmail, "us-east-1")
      : undefined;
    this.alarms = specs.map((spec) => {
      const topic = spec.region ? globalTopic! : this.topic;
      return new aws.cloudwatch.MetricAlarm(
        childName(name, spec.key),
        {
          alarmDescription: spec.description,
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensions: spec.dimensions,
          statistic: spec.statistic,
          extendedStatistic: spec.extendedStatistic,
          comparisonOperator: spec.comparisonOperator,
          threshold: spec.threshold,
          period: spec.periodSeconds,
          evaluationPeriods: spec.evaluationPeriods,
          treatMissingData: spec.treatMissingData ?? "notBreaching",
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          region: spec.region,
        },
        parent,
      );
    });
    new aws.cloudwatch.Dashboard(
      childName(name, "dashboard"),
      {
        dashboardName: childName(name, pulumi.getStack()),
        dashboardBody: dashboardBody(specs, aws.getRegionOutput({}, parent).region),
      },
      parent,
    );
    if (args.cloudTrail ?? true) this.trail(name, args.forceDestroy);
    if (args.guardDuty) {
      new aws.guardduty.Detector(
        childName(name, "guardduty"),
        { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" },
        parent,
      );
    }
    this.registerOutputs({ topicArn: this.topic.arn });
  }

  private alarmTopic(name: string, part: string, email?: string, region?: string): aws.sns.Topic {
    const parent = { parent: this };
    const topic = new aws.sns.Topic(childName(name, part), { region }, parent);
    if (email) {
      new aws.sns.TopicSubscription(
        childName(name, part, "email"),
        { topic: topic.arn, protocol: "email", endpoint: email, region },
        parent,
      );
    }
    return topic;
  }

  private trail(name: string, forceDestroy?: boolean): void {
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const trailName = childName(name, "trail", pulumi.getStack());
    const trailArn = pulumi.interpolate`arn:aws:cloudtrail:${region}:${account}:trail/${trailName}`;
    const bucket = new SecureBucket(
      childName(name, "trail-logs"),
      {
        glacierAfterDays: 90,
        expireAfterDays: 365,
        forceDestroy,
        statements: (arn) => [
          {
            Sid: "CloudTrailAclCheck",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: arn,
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          },
          {
            Sid: "CloudTrailWrite",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${arn}/AWSLogs/${account}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
          },
        ],
      },
      parent,
    );
    new aws.cloudtrail.Trail(
      childName(name, "trail"),
      {
        name: trailName,
        s3BucketName: bucket.bucket.bucket,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
      },
      { parent: this, dependsOn: [bucket.policy] },
    );
  }
}

/** One graph per alarm's metric, two per row, so the dashboard shows exactly what is alarmed on. */
export function dashboardBody(specs: AlarmSpec[], region: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.all([specs.map((s) => s.dimensions), region]).apply(([dimensions, stackRegion]) =>
    JSON.stringify({
      widgets: specs.map((spec, i) => ({
        type: "metric",
        x: (i % 2) * 12,
        y: Math.floor(i / 2) * 6,
        width: 12,
        height: 6,
        properties: {
          title: spec.description,
          region: spec.region ?? stackRegion,
          stat: spec.extendedStatistic ?? spec.statistic,
          period: spec.periodSeconds,
          metrics: [[spec.namespace, spec.metricName, ...Object.entries(dimensions[i]!).flat()]],
          annotations: { horizontal: [{ value: spec.threshold, label: "alarm" }] },
        },
      })),
    }),
  );
}
