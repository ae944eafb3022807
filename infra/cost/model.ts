import type { Settings } from "../config.js";
import type { Scale } from "../sizing.js";
import PRICES from "./prices.json" with { type: "json" };

/** The architecture document's own monthly estimates per tier (USD). */
export const ARCHITECTURE_ESTIMATES: Record<Scale, number> = { small: 124, medium: 430, large: 1590 };

/** What a month of use looks like at each tier; the infrastructure's size comes from the settings. */
export interface Workload {
  itemsPerMonth: number;
  workerTasksAverage: number;
  dashboardTasksAverage: number;
  natGb: number;
  cdnGb: number;
  logsGb: number;
  s3Gb: number;
  albLcuAverage: number;
  guardDutyMonthly: number;
}

export const WORKLOADS: Record<Scale, Workload> = {
  small: {
    itemsPerMonth: 10_000,
    workerTasksAverage: 1,
    dashboardTasksAverage: 2,
    natGb: 10,
    cdnGb: 5,
    logsGb: 3,
    s3Gb: 5,
    albLcuAverage: 0.5,
    guardDutyMonthly: 5,
  },
  medium: {
    itemsPerMonth: 100_000,
    workerTasksAverage: 2,
    dashboardTasksAverage: 2.5,
    natGb: 50,
    cdnGb: 50,
    logsGb: 12,
    s3Gb: 25,
    albLcuAverage: 1,
    guardDutyMonthly: 15,
  },
  large: {
    itemsPerMonth: 1_000_000,
    workerTasksAverage: 6,
    dashboardTasksAverage: 4,
    natGb: 500,
    cdnGb: 500,
    logsGb: 60,
    s3Gb: 150,
    albLcuAverage: 4,
    guardDutyMonthly: 40,
  },
};

export interface LineItem {
  part: string;
  item: string;
  monthly: number;
}

/** A resource of the program as the synth records it (infra/mock-run.ts). */
export interface ProgramResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export interface Estimate {
  scale: Scale;
  items: LineItem[];
  total: number;
  architecture: number;
  /** (total - architecture) / architecture. */
  difference: number;
  /** How many resources of each priced type the estimate counted in the program. */
  counts: Record<string, number>;
}

/** The resource types the model prices, each counted in the program it is given. */
export const PRICED_TYPES = {
  natGateway: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  flowLog: "aws:ec2/flowLog:FlowLog",
  service: "aws:ecs/service:Service",
  schedule: "aws:scheduler/schedule:Schedule",
  secret: "aws:secretsmanager/secret:Secret",
  repository: "aws:ecr/repository:Repository",
  dbInstance: "aws:rds/instance:Instance",
  table: "aws:dynamodb/table:Table",
  eventBus: "aws:cloudwatch/eventBus:EventBus",
  eventArchive: "aws:cloudwatch/eventArchive:EventArchive",
  queue: "aws:sqs/queue:Queue",
  lambda: "aws:lambda/function:Function",
  restApi: "aws:apigateway/restApi:RestApi",
  receiptRule: "aws:ses/receiptRule:ReceiptRule",
  bucket: "aws:s3/bucket:Bucket",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  distribution: "aws:cloudfront/distribution:Distribution",
  record: "aws:route53/record:Record",
  userPool: "aws:cognito/userPool:UserPool",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  metricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  trail: "aws:cloudtrail/trail:Trail",
  detector: "aws:guardduty/detector:Detector",
} as const;

/** Types the program creates that cost nothing by themselves, or whose cost is in a priced type's line. */
export const UNPRICED_TYPES: Record<string, string> = {
  "aws:acm/certificate:Certificate": "public ACM certificates are free",
  "aws:acm/certificateValidation:CertificateValidation": "a deployment step, no resource",
  "aws:apigateway/account:Account": "an account setting",
  "aws:apigatewayv2/api:Api":
    "the operator API: $1.00 per million HTTP API calls, a few thousand operator calls a month (under $0.01)",
  "aws:apigatewayv2/integration:Integration": "free; part of the operator API",
  "aws:apigatewayv2/route:Route": "free; part of the operator API",
  "aws:apigatewayv2/stage:Stage": "free; its access log is in the log lines",
  "aws:apigateway/apiKey:ApiKey": "part of the REST API (priced per request)",
  "aws:apigateway/deployment:Deployment": "part of the REST API",
  "aws:apigateway/integration:Integration": "part of the REST API",
  "aws:apigateway/method:Method": "part of the REST API",
  "aws:apigateway/methodSettings:MethodSettings": "part of the REST API",
  "aws:apigateway/model:Model": "part of the REST API",
  "aws:apigateway/requestValidator:RequestValidator": "part of the REST API",
  "aws:apigateway/resource:Resource": "part of the REST API",
  "aws:apigateway/stage:Stage": "part of the REST API (its access logs are in the CloudWatch Logs line)",
  "aws:apigateway/usagePlan:UsagePlan": "part of the REST API",
  "aws:apigateway/usagePlanKey:UsagePlanKey": "part of the REST API",
  "aws:appautoscaling/policy:Policy": "free; the tasks it starts are in the Fargate lines",
  "aws:appautoscaling/target:Target": "free",
  "aws:cloudfront/cachePolicy:CachePolicy": "part of the distribution",
  "aws:cloudwatch/eventRule:EventRule": "free; events are priced on the bus",
  "aws:cloudwatch/eventTarget:EventTarget": "free; events are priced on the bus",
  "aws:cognito/userPoolClient:UserPoolClient": "part of the user pool",
  "aws:cognito/userPoolDomain:UserPoolDomain": "part of the user pool",
  "aws:ec2/internetGateway:InternetGateway": "free (its traffic is in the NAT and CloudFront lines)",
  "aws:ec2/routeTable:RouteTable": "free",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "free",
  "aws:ec2/securityGroup:SecurityGroup": "free",
  "aws:ec2/subnet:Subnet": "free",
  "aws:ec2/vpc:Vpc": "free",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "S3 and DynamoDB gateway endpoints are free",
  "aws:ecs/cluster:Cluster": "free; Container Insights is priced per service",
  "aws:secretsmanager/secretVersion:SecretVersion": "a value of a secret, priced in its secret's line",
  "aws:ecs/taskDefinition:TaskDefinition": "priced as the services and the scheduled backup that run it",
  "aws:iam/policy:Policy": "free",
  "aws:iam/role:Role": "free",
  "aws:iam/rolePolicy:RolePolicy": "free",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "free",
  "aws:lambda/invocation:Invocation": "one migration run per deployment (its Lambda seconds round to cents)",
  "aws:lambda/permission:Permission": "free",
  "aws:lb/listener:Listener": "part of the load balancer",
  "aws:lb/listenerRule:ListenerRule": "part of the load balancer",
  "aws:lb/targetGroup:TargetGroup": "part of the load balancer",
  "aws:rds/parameterGroup:ParameterGroup": "free",
  "aws:rds/subnetGroup:SubnetGroup": "free",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "part of the bucket (priced as storage)",
  "aws:s3/bucketNotification:BucketNotification": "part of the bucket",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "part of the bucket",
  "aws:s3/bucketPolicy:BucketPolicy": "part of the bucket",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "part of the bucket",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "SSE-S3 is free",
  "aws:s3/bucketVersioning:BucketVersioning": "part of the bucket (old versions expire with the lifecycle)",
  "aws:ses/activeReceiptRuleSet:ActiveReceiptRuleSet": "an account setting",
  "aws:ses/receiptRuleSet:ReceiptRuleSet": "free; mail is priced per receipt rule",
  "aws:sns/topic:Topic": "the alarm topics: a few notifications a month are in SNS's free tier",
  "aws:sns/topicSubscription:TopicSubscription": "e-mail notifications of alarms, in SNS's free tier",
  "aws:sqs/queuePolicy:QueuePolicy": "free",
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "free",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "free",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "free",
  "pulumi:providers:aws": "a Pulumi provider, not an AWS resource",
};

const round = (value: number) => Math.round(value * 100) / 100;

/** A month of the nightly backup task: 30 runs of about 10 minutes each. */
const BACKUP_TASK_HOURS = 30 * (10 / 60);

/**
 * Prices the program's own resources (`resources`, as the synth records them: `recordProgramResources`) for a
 * month of the tier's workload: how many of each thing comes from the program, how much each is used from the
 * workload, the sizes from the settings.
 */
export function estimateMonthlyCost(
  settings: Settings,
  resources: readonly ProgramResource[],
  workload: Workload = WORKLOADS[settings.scale],
  prices = PRICES,
): Estimate {
  const s = settings.sizing;
  const h = prices.hoursPerMonth;
  const items: LineItem[] = [];
  const counts: Record<string, number> = {};
  const of = (key: keyof typeof PRICED_TYPES) => resources.filter((r) => r.type === PRICED_TYPES[key]);
  for (const key of Object.keys(PRICED_TYPES) as (keyof typeof PRICED_TYPES)[])
    counts[PRICED_TYPES[key]] = of(key).length;
  const count = (key: keyof typeof PRICED_TYPES) => counts[PRICED_TYPES[key]]!;
  const add = (part: string, item: string, monthly: number) => items.push({ part, item, monthly: round(monthly) });
  const fargate = (cpu: number, memoryMb: number) =>
    (cpu / 1024) * prices.fargate.vcpuHour + (memoryMb / 1024) * prices.fargate.gbHour;
  const perMillion = (n: number, price: number) => (n / 1_000_000) * price;
  const n = workload.itemsPerMonth;
  const service = (part: string) => of("service").some((r) => r.name.includes(`-${part}-`));

  const nats = count("natGateway");
  add(
    "network",
    `${nats} NAT gateway(s)`,
    nats * h * prices.natGateway.hour + (nats > 0 ? workload.natGb * prices.natGateway.perGb : 0),
  );
  // An internet-facing ALB holds one public address per availability zone.
  const publicIps = count("eip") + count("loadBalancer") * s.azCount;
  add("network", `${publicIps} public IPv4 addresses`, publicIps * h * prices.publicIpv4.hour);
  if (count("flowLog") > 0)
    add("network", "VPC flow logs", count("flowLog") * workload.logsGb * 0.3 * prices.cloudWatch.logsIngestGb);

  if (service("worker")) {
    add(
      "worker",
      `Fargate ${s.worker.cpu / 1024} vCPU / ${s.worker.memoryMb / 1024} GB x ${workload.workerTasksAverage} task(s)`,
      workload.workerTasksAverage * h * fargate(s.worker.cpu, s.worker.memoryMb),
    );
  }
  // RDS's managed master password is a Secrets Manager secret the program does not declare itself.
  const managed = of("dbInstance").filter((r) => r.inputs.manageMasterUserPassword === true).length;
  const secrets = count("secret") + managed;
  add("worker", `${secrets} Secrets Manager secrets`, secrets * prices.secretsManager.secretMonth);
  add(
    "worker",
    `${count("repository")} ECR repositories (about 1 GB of images each)`,
    count("repository") * prices.ecr.gbMonth,
  );

  for (const schedule of of("schedule")) {
    if (!schedule.name.includes("backup")) continue;
    add(
      "backup",
      "Nightly pg_dump task (Fargate 0.5 vCPU / 1 GB, ~10 min a night)",
      BACKUP_TASK_HOURS * fargate(512, 1024),
    );
  }

  for (const instance of of("dbInstance")) {
    const instanceClass = String(instance.inputs.instanceClass);
    const dbHour = prices.rds.instanceHour[instanceClass as keyof typeof prices.rds.instanceHour];
    if (dbHour === undefined) throw new Error(`No price for ${instanceClass} in infra/cost/prices.json`);
    const replica = Boolean(instance.inputs.replicateSourceDb);
    const copies = instance.inputs.multiAz === true ? 2 : 1;
    const storage = Number(instance.inputs.allocatedStorage ?? s.db.allocatedStorageGb);
    const what = replica ? `read replica ${instanceClass}` : `RDS ${instanceClass}${copies === 2 ? " Multi-AZ" : ""}`;
    add(
      "database",
      `${what}, ${storage} GB gp3${copies === 2 ? " x2" : ""}`,
      copies * (h * dbHour + storage * prices.rds.gp3GbMonth),
    );
  }

  // Per item: a metric point, a daily aggregate update and the dashboard's reads.
  if (count("table") > 0) {
    const tableGb = (n * 3 * 0.5) / 1_000_000;
    add(
      "metrics",
      `${count("table")} DynamoDB tables: on-demand writes and reads`,
      perMillion(n * 4, prices.dynamodb.perMillionWrites) + perMillion(n * 10, prices.dynamodb.perMillionReads),
    );
    add("metrics", "DynamoDB storage and PITR", tableGb * (prices.dynamodb.gbMonth + prices.dynamodb.pitrGbMonth));
  }

  add(
    "events",
    `EventBridge events${count("eventArchive") > 0 ? " and archive" : ""}`,
    count("eventBus") * perMillion(n, prices.eventBridge.perMillionCustomEvents) +
      count("eventArchive") * ((n * 2) / 1_000_000) * prices.eventBridge.archiveGbMonth,
  );
  // Per item: send, receive, delete, one visibility change, plus idle long polls of the workers.
  add(
    "queue",
    `SQS requests (${count("queue")} queues, the dead-letter ones idle)`,
    perMillion(n * 4 + workload.workerTasksAverage * 130_000, prices.sqs.perMillionRequests),
  );
  add(
    "ingestion",
    `Lambda requests and duration (${count("lambda")} functions, arm64)`,
    perMillion(n * 2, prices.lambda.perMillionRequests) + n * 2 * 0.3 * 0.25 * prices.lambda.gbSecondArm,
  );
  if (count("restApi") > 0)
    add("sources", "API Gateway REST requests", perMillion(n * 0.3, prices.apiGateway.perMillionRestRequests));
  // A fifth of the items arrive by mail; each mail is a few 256 KB chunks at most.
  if (count("receiptRule") > 0)
    add(
      "sources",
      "SES mail receiving",
      ((n * 0.2) / 1000) * (prices.ses.perThousandMails + prices.ses.perThousandChunks),
    );

  add(
    "storage",
    `S3, ${count("bucket")} buckets (uploads, artifacts, backups, trail; a third archived)`,
    workload.s3Gb * ((2 / 3) * prices.s3.standardGbMonth + (1 / 3) * prices.s3.glacierGbMonth),
  );
  if (count("replication") > 0) {
    // The backups (a third of the data) copied to another region and kept there as Standard-IA.
    const gb = workload.s3Gb / 3;
    add(
      "storage",
      "Backups replica (cross-region copy, Standard-IA)",
      gb * (prices.s3.crossRegionGb + prices.s3.standardIaGbMonth),
    );
  }

  if (service("dashboard")) {
    const d = s.dashboard;
    add(
      "dashboard",
      `Fargate ${d.cpu / 1024} vCPU / ${d.memoryMb / 1024} GB x ${workload.dashboardTasksAverage} task(s)`,
      workload.dashboardTasksAverage * h * fargate(d.cpu, d.memoryMb),
    );
  }
  if (count("loadBalancer") > 0)
    add(
      "dashboard",
      "Application Load Balancer",
      count("loadBalancer") * h * (prices.alb.hour + workload.albLcuAverage * prices.alb.lcuHour),
    );
  if (count("distribution") > 0)
    add(
      "dashboard",
      "CloudFront",
      workload.cdnGb * prices.cloudFront.perGb +
        ((workload.cdnGb * 20_000) / 10_000) * prices.cloudFront.perTenThousandHttpsRequests,
    );
  if (count("record") > 0)
    // Alias records to CloudFront and the ALB answer for free; the zone itself is the account's (hostedZoneId).
    add("dashboard", `Route 53: ${count("record")} records (alias queries free)`, 0);
  if (count("userPool") > 0)
    // Cognito's Essentials tier is free for the first 10,000 monthly active users; operators are a handful.
    add("dashboard", `Cognito: ${count("userPool")} user pool (operators, within the free monthly users)`, 0);

  add(
    "observability",
    `${count("alarm")} CloudWatch alarms and ${count("dashboard")} dashboard(s)`,
    count("alarm") * prices.cloudWatch.alarmMonth + count("dashboard") * prices.cloudWatch.dashboardMonth,
  );
  add(
    "observability",
    `CloudWatch Logs (${count("logGroup")} log groups)`,
    workload.logsGb * (prices.cloudWatch.logsIngestGb + prices.cloudWatch.logsStoreGbMonth),
  );
  add("observability", "Container Insights metrics", count("service") * 20 * prices.cloudWatch.metricMonth);
  if (count("metricFilter") > 0)
    add(
      "observability",
      `${count("metricFilter")} log metric filter(s): custom metrics`,
      count("metricFilter") * prices.cloudWatch.metricMonth,
    );
  add("observability", "X-Ray traces (5% sampled)", perMillion(n * 3 * 0.05, prices.xray.perMillionTraces));
  if (count("trail") > 0)
    // The first trail of management events in an account is free; its log files land in the trail bucket (S3 line).
    add("observability", `CloudTrail: ${count("trail")} trail (first copy of management events free)`, 0);
  if (count("detector") > 0) add("observability", "GuardDuty (estimate)", workload.guardDutyMonthly);

  const total = round(items.reduce((sum, i) => sum + i.monthly, 0));
  const architecture = ARCHITECTURE_ESTIMATES[settings.scale];
  return {
    scale: settings.scale,
    items,
    total,
    architecture,
    difference: round((total - architecture) / architecture),
    counts,
  };
}

/** A table for a terminal: one line per item, then the total against the architecture's estimate. */
export function formatEstimate(estimate: Estimate): string {
  const lines = estimate.items.map(
    (i) => `${i.part.padEnd(14)}${i.item.padEnd(66)}${`$${i.monthly.toFixed(2)}`.padStart(11)}`,
  );
  const pct = `${estimate.difference >= 0 ? "+" : ""}${Math.round(estimate.difference * 100)}%`;
  return [
    `Monthly cost, scale ${estimate.scale} (on-demand list prices, infra/cost/prices.json; Claude API usage not included)`,
    ...lines,
    "-".repeat(91),
    `${"total".padEnd(80)}${`$${estimate.total.toFixed(2)}`.padStart(11)}`,
    `${"architecture estimate".padEnd(80)}${`$${estimate.architecture.toFixed(2)}`.padStart(11)}  (${pct})`,
  ].join("\n");
}
