import type { Settings } from "../config.js";
import { natGatewayCount, type Scale } from "../sizing.js";
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

export interface Estimate {
  scale: Scale;
  items: LineItem[];
  total: number;
  architecture: number;
  /** (total - architecture) / architecture. */
  difference: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Prices the resources the settings configure for a month of the tier's workload. */
export function estimateMonthlyCost(
  settings: Settings,
  workload: Workload = WORKLOADS[settings.scale],
  prices = PRICES,
): Estimate {
  const s = settings.sizing;
  const h = prices.hoursPerMonth;
  const items: LineItem[] = [];
  const add = (part: string, item: string, monthly: number) => items.push({ part, item, monthly: round(monthly) });
  const fargate = (cpu: number, memoryMb: number) =>
    (cpu / 1024) * prices.fargate.vcpuHour + (memoryMb / 1024) * prices.fargate.gbHour;
  const perMillion = (count: number, price: number) => (count / 1_000_000) * price;
  const n = workload.itemsPerMonth;

  const nats = natGatewayCount(s);
  add(
    "network",
    `${nats} NAT gateway(s)`,
    nats * h * prices.natGateway.hour + workload.natGb * prices.natGateway.perGb,
  );
  const publicIps = nats + (settings.dashboard ? s.azCount : 0);
  add("network", `${publicIps} public IPv4 addresses`, publicIps * h * prices.publicIpv4.hour);
  add("network", "VPC flow logs", workload.logsGb * 0.3 * prices.cloudWatch.logsIngestGb);

  add(
    "worker",
    `Fargate ${s.worker.cpu / 1024} vCPU / ${s.worker.memoryMb / 1024} GB x ${workload.workerTasksAverage} task(s)`,
    workload.workerTasksAverage * h * fargate(s.worker.cpu, s.worker.memoryMb),
  );
  add(
    "worker",
    "Secrets Manager secrets (database, master, Anthropic, webhooks)",
    4 * prices.secretsManager.secretMonth,
  );
  add("worker", "ECR images", 2 * prices.ecr.gbMonth);

  const dbHour = prices.rds.instanceHour[s.db.instanceClass as keyof typeof prices.rds.instanceHour];
  if (dbHour === undefined) throw new Error(`No price for ${s.db.instanceClass} in infra/cost/prices.json`);
  const copies = s.db.multiAz ? 2 : 1;
  add("database", `RDS ${s.db.instanceClass}${s.db.multiAz ? " Multi-AZ" : ""}`, copies * h * dbHour);
  add(
    "database",
    `${s.db.allocatedStorageGb} GB gp3${s.db.multiAz ? " x2" : ""}`,
    copies * s.db.allocatedStorageGb * prices.rds.gp3GbMonth,
  );
  if (s.db.readReplica) {
    add("database", `read replica ${s.db.instanceClass}`, h * dbHour + s.db.allocatedStorageGb * prices.rds.gp3GbMonth);
  }

  // Per item: a metric point, a daily aggregate update and the dashboard's reads.
  const tableGb = (n * 3 * 0.5) / 1_000_000;
  add(
    "metrics",
    "DynamoDB on-demand writes and reads",
    perMillion(n * 4, prices.dynamodb.perMillionWrites) + perMillion(n * 10, prices.dynamodb.perMillionReads),
  );
  add("metrics", "DynamoDB storage and PITR", tableGb * (prices.dynamodb.gbMonth + prices.dynamodb.pitrGbMonth));

  add(
    "events",
    "EventBridge events and archive",
    perMillion(n, prices.eventBridge.perMillionCustomEvents) +
      ((n * 2) / 1_000_000) * prices.eventBridge.archiveGbMonth,
  );
  // Per item: send, receive, delete, one visibility change, plus idle long polls of the workers.
  add(
    "queue",
    "SQS requests",
    perMillion(n * 4 + workload.workerTasksAverage * 130_000, prices.sqs.perMillionRequests),
  );
  add(
    "ingestion",
    "Lambda requests and duration (arm64)",
    perMillion(n * 2, prices.lambda.perMillionRequests) + n * 2 * 0.3 * 0.25 * prices.lambda.gbSecondArm,
  );
  add("sources", "API Gateway REST requests", perMillion(n * 0.3, prices.apiGateway.perMillionRestRequests));

  add(
    "storage",
    "S3 (uploads, artifacts, backups; a third archived)",
    workload.s3Gb * ((2 / 3) * prices.s3.standardGbMonth + (1 / 3) * prices.s3.glacierGbMonth),
  );

  if (settings.dashboard) {
    const d = s.dashboard;
    add(
      "dashboard",
      `Fargate ${d.cpu / 1024} vCPU / ${d.memoryMb / 1024} GB x ${workload.dashboardTasksAverage} task(s)`,
      workload.dashboardTasksAverage * h * fargate(d.cpu, d.memoryMb),
    );
    add("dashboard", "Application Load Balancer", h * (prices.alb.hour + workload.albLcuAverage * prices.alb.lcuHour));
    add(
      "dashboard",
      "CloudFront",
      workload.cdnGb * prices.cloudFront.perGb +
        ((workload.cdnGb * 20_000) / 10_000) * prices.cloudFront.perTenThousandHttpsRequests,
    );
  }

  const alarms = 30;
  add(
    "observability",
    `${alarms} CloudWatch alarms and a dashboard`,
    alarms * prices.cloudWatch.alarmMonth + prices.cloudWatch.dashboardMonth,
  );
  add(
    "observability",
    "CloudWatch Logs",
    workload.logsGb * (prices.cloudWatch.logsIngestGb + prices.cloudWatch.logsStoreGbMonth),
  );
  const services = settings.dashboard ? 2 : 1;
  add("observability", "Container Insights metrics", services * 20 * prices.cloudWatch.metricMonth);
  add("observability", "X-Ray traces (5% sampled)", perMillion(n * 3 * 0.05, prices.xray.perMillionTraces));
  if (settings.guardDutyEnabled) add("observability", "GuardDuty (estimate)", workload.guardDutyMonthly);

  const total = round(items.reduce((sum, i) => sum + i.monthly, 0));
  const architecture = ARCHITECTURE_ESTIMATES[settings.scale];
  return {
    scale: settings.scale,
    items,
    total,
    architecture,
    difference: round((total - architecture) / architecture),
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
