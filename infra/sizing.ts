export type Scale = "small" | "medium" | "large";
export const SCALES: readonly Scale[] = ["small", "medium", "large"];

export interface Sizing {
  azCount: number;
  /** "single": one NAT gateway shared by every private subnet; "perAz": one per availability zone. */
  natGateways: "single" | "perAz";
  flowLogRetentionDays: number;
  logRetentionDays: number;
  db: { instanceClass: string; multiAz: boolean; allocatedStorageGb: number; readReplica: boolean };
  worker: {
    cpu: number;
    memoryMb: number;
    minTasks: number;
    maxTasks: number;
    cpuTarget: number;
    backlogPerTask: number;
  };
  dashboard: {
    cpu: number;
    memoryMb: number;
    minTasks: number;
    maxTasks: number;
    cpuTarget: number;
    memoryTarget: number;
  };
  /** -1 leaves the ingestion Lambda unreserved (new accounts cannot reserve below their unreserved minimum). */
  lambdaReservedConcurrency: number;
  api: { rateLimit: number; burstLimit: number; quotaPerDay: number };
}

const worker = { cpu: 2048, memoryMb: 4096, minTasks: 1, maxTasks: 10, cpuTarget: 70, backlogPerTask: 100 };
const dashboard = { cpu: 512, memoryMb: 1024, minTasks: 2, maxTasks: 10, cpuTarget: 70, memoryTarget: 75 };

const TIERS: Record<Scale, Sizing> = {
  small: {
    azCount: 2,
    natGateways: "single",
    flowLogRetentionDays: 14,
    logRetentionDays: 14,
    db: { instanceClass: "db.t3.small", multiAz: false, allocatedStorageGb: 20, readReplica: false },
    worker,
    dashboard,
    lambdaReservedConcurrency: -1,
    api: { rateLimit: 20, burstLimit: 40, quotaPerDay: 50_000 },
  },
  medium: {
    azCount: 2,
    natGateways: "single",
    flowLogRetentionDays: 30,
    logRetentionDays: 30,
    db: { instanceClass: "db.t3.medium", multiAz: true, allocatedStorageGb: 100, readReplica: false },
    worker,
    dashboard,
    lambdaReservedConcurrency: 20,
    api: { rateLimit: 100, burstLimit: 200, quotaPerDay: 500_000 },
  },
  large: {
    azCount: 3,
    natGateways: "perAz",
    flowLogRetentionDays: 90,
    logRetentionDays: 90,
    db: { instanceClass: "db.r5.large", multiAz: true, allocatedStorageGb: 500, readReplica: true },
    worker,
    dashboard,
    lambdaReservedConcurrency: 100,
    api: { rateLimit: 500, burstLimit: 1000, quotaPerDay: 5_000_000 },
  },
};

/** The sizes of one cost tier of the architecture (small ~$124, medium ~$430, large ~$1,590 a month). */
export function sizingFor(scale: Scale): Sizing {
  return structuredClone(TIERS[scale]);
}

export function natGatewayCount(sizing: Pick<Sizing, "azCount" | "natGateways">): number {
  return sizing.natGateways === "perAz" ? sizing.azCount : 1;
}

const DB_MEMORY_GIB: Record<string, number> = {
  "db.t3.micro": 1,
  "db.t3.small": 2,
  "db.t3.medium": 4,
  "db.t3.large": 8,
  "db.r5.large": 16,
  "db.r5.xlarge": 32,
  "db.m5.large": 8,
};

/** RDS PostgreSQL's default max_connections: LEAST(DBInstanceClassMemory / 9531392, 5000). */
export function dbMaxConnections(instanceClass: string): number {
  const gib = DB_MEMORY_GIB[instanceClass] ?? 2;
  return Math.min(Math.floor((gib * 1024 ** 3) / 9531392), 5000);
}
