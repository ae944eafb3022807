import { z } from "zod";
import { type Scale, type Sizing, sizingFor } from "./sizing.js";

// Keys that may be left empty ("") to take the value of the chosen scale.
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : undefined));

const asNumber = optionalText.transform((value) => (value === undefined ? undefined : Number(value)));
const optionalInt = (min: number, max: number) => asNumber.pipe(z.number().int().min(min).max(max).optional());

const flag = (fallback: boolean) =>
  optionalText.pipe(
    z
      .enum(["true", "false"])
      .optional()
      .transform((value) => (value === undefined ? fallback : value === "true")),
  );

const optionalFlag = optionalText.pipe(
  z
    .enum(["true", "false"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true")),
);

const list = optionalText.transform((value) =>
  value
    ? value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
    : [],
);

const schema = z.object({
  scale: optionalText.pipe(z.enum(["small", "medium", "large"]).default("small")),
  environment: optionalText.pipe(z.enum(["development", "production"]).default("development")),
  vpcCidr: optionalText.pipe(z.string().default("10.40.0.0/16")),
  azCount: optionalInt(2, 3),
  natGateways: optionalText.pipe(z.enum(["single", "perAz"]).optional()),
  flowLogRetentionDays: optionalInt(1, 3653),
  logRetentionDays: optionalInt(1, 3653),
  dbInstanceClass: optionalText,
  dbMultiAz: optionalFlag,
  dbAllocatedStorageGb: optionalInt(20, 65536),
  dbReadReplica: optionalFlag,
  dbEngineVersion: optionalText.pipe(z.string().default("16")),
  workerCpu: optionalInt(256, 16384),
  workerMemoryMb: optionalInt(512, 122880),
  workerMinTasks: optionalInt(0, 100),
  workerMaxTasks: optionalInt(1, 100),
  workerCpuTarget: optionalInt(10, 95),
  workerBacklogPerTask: optionalInt(1, 100000),
  workerImage: optionalText,
  dashboardImage: optionalText,
  agents: optionalText.pipe(z.enum(["offline", "claude", "hybrid"]).default("offline")),
  dashboardMinTasks: optionalInt(1, 100),
  dashboardMaxTasks: optionalInt(1, 100),
  dashboardDomain: optionalText,
  hostedZoneId: optionalText,
  oidcIssuer: optionalText,
  oidcClientId: optionalText,
  oidcAuthorizationEndpoint: optionalText,
  oidcTokenEndpoint: optionalText,
  oidcUserInfoEndpoint: optionalText,
  lambdaReservedConcurrency: optionalInt(-1, 10000),
  lambdaTracingLayerArn: optionalText.pipe(
    z
      .string()
      .regex(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[\w-]+:\d+$/, "is not a Lambda layer version ARN")
      .optional(),
  ),
  queueFifo: flag(false),
  queueMaxReceiveCount: asNumber.pipe(z.number().int().min(1).max(1000).default(5)),
  apiRateLimit: optionalInt(1, 10000),
  apiBurstLimit: optionalInt(1, 5000),
  apiQuotaPerDay: optionalInt(1, 100_000_000),
  sesEnabled: flag(true),
  sesActivateRuleSet: flag(false),
  apiGatewayCloudWatchRole: optionalText.pipe(z.enum(["none", "existing", "create"]).default("none")),
  mailRecipients: list,
  alarmEmail: optionalText,
  cloudTrailEnabled: flag(true),
  guardDutyEnabled: flag(false),
  backupReplicaRegion: optionalText,
});

/** Every non-secret key, as declared in Pulumi.yaml. */
export const CONFIG_KEYS = Object.keys(schema.shape) as (keyof typeof schema.shape)[];
/** Secret keys, read with getSecret and never parsed into plain settings. */
export const SECRET_KEYS = ["anthropicApiKey", "oidcClientSecret"] as const;

export type RawConfig = Partial<Record<string, string | undefined>>;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userInfoEndpoint: string;
}

export interface DashboardSettings {
  domain: string;
  /** Route 53 zone of the domain: certificates are validated and the name pointed at CloudFront there. */
  hostedZoneId: string;
  oidc?: OidcSettings;
}

export interface Settings {
  scale: Scale;
  production: boolean;
  vpcCidr: string;
  sizing: Sizing;
  workerImage?: string;
  dashboardImage?: string;
  agents: "offline" | "claude" | "hybrid";
  /** Unset: no dashboard (it is only ever served behind HTTPS and a login, which needs a domain). */
  dashboard?: DashboardSettings;
  queueFifo: boolean;
  queueMaxReceiveCount: number;
  sesEnabled: boolean;
  /** Account singleton (one active receipt rule set per account and region): off unless asked for. */
  sesActivateRuleSet: boolean;
  /** API Gateway's CloudWatch role is one per account and region: "create" sets it, "existing" relies on it. */
  apiGatewayCloudWatchRole: "none" | "existing" | "create";
  mailRecipients: string[];
  alarmEmail?: string;
  cloudTrailEnabled: boolean;
  guardDutyEnabled: boolean;
  backupReplicaRegion?: string;
  dbEngineVersion: string;
  /** An OpenTelemetry collector layer for the Lambdas; unset: they trace nothing themselves. */
  lambdaTracingLayerArn?: string;
}

export class ConfigError extends Error {}

/** Turns the stack configuration (strings, "" meaning unset) into typed settings, or explains what is wrong. */
export function parseSettings(raw: RawConfig): Settings {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid stack configuration:\n  ${problems.join("\n  ")}`);
  }
  const c = parsed.data;
  const base = sizingFor(c.scale);
  const sizing: Sizing = {
    ...base,
    azCount: c.azCount ?? base.azCount,
    natGateways: c.natGateways ?? base.natGateways,
    flowLogRetentionDays: c.flowLogRetentionDays ?? base.flowLogRetentionDays,
    logRetentionDays: c.logRetentionDays ?? base.logRetentionDays,
    db: {
      instanceClass: c.dbInstanceClass ?? base.db.instanceClass,
      multiAz: c.dbMultiAz ?? base.db.multiAz,
      allocatedStorageGb: c.dbAllocatedStorageGb ?? base.db.allocatedStorageGb,
      readReplica: c.dbReadReplica ?? base.db.readReplica,
    },
    worker: {
      cpu: c.workerCpu ?? base.worker.cpu,
      memoryMb: c.workerMemoryMb ?? base.worker.memoryMb,
      minTasks: c.workerMinTasks ?? base.worker.minTasks,
      maxTasks: c.workerMaxTasks ?? base.worker.maxTasks,
      cpuTarget: c.workerCpuTarget ?? base.worker.cpuTarget,
      backlogPerTask: c.workerBacklogPerTask ?? base.worker.backlogPerTask,
    },
    dashboard: {
      ...base.dashboard,
      minTasks: c.dashboardMinTasks ?? base.dashboard.minTasks,
      maxTasks: c.dashboardMaxTasks ?? base.dashboard.maxTasks,
    },
    lambdaReservedConcurrency: c.lambdaReservedConcurrency ?? base.lambdaReservedConcurrency,
    api: {
      rateLimit: c.apiRateLimit ?? base.api.rateLimit,
      burstLimit: c.apiBurstLimit ?? base.api.burstLimit,
      quotaPerDay: c.apiQuotaPerDay ?? base.api.quotaPerDay,
    },
  };
  if (sizing.worker.minTasks > sizing.worker.maxTasks) {
    throw new ConfigError("workerMinTasks must not exceed workerMaxTasks");
  }
  if (sizing.dashboard.minTasks > sizing.dashboard.maxTasks) {
    throw new ConfigError("dashboardMinTasks must not exceed dashboardMaxTasks");
  }
  return {
    scale: c.scale,
    production: c.environment === "production",
    vpcCidr: c.vpcCidr,
    sizing,
    workerImage: c.workerImage,
    dashboardImage: c.dashboardImage,
    agents: c.agents,
    dashboard: dashboardSettings(c),
    queueFifo: c.queueFifo,
    queueMaxReceiveCount: c.queueMaxReceiveCount,
    sesEnabled: c.sesEnabled,
    sesActivateRuleSet: c.sesActivateRuleSet,
    apiGatewayCloudWatchRole: c.apiGatewayCloudWatchRole,
    mailRecipients: c.mailRecipients,
    alarmEmail: c.alarmEmail,
    cloudTrailEnabled: c.cloudTrailEnabled,
    guardDutyEnabled: c.guardDutyEnabled,
    backupReplicaRegion: c.backupReplicaRegion,
    dbEngineVersion: c.dbEngineVersion,
    lambdaTracingLayerArn: c.lambdaTracingLayerArn,
  };
}

function dashboardSettings(c: z.infer<typeof schema>): DashboardSettings | undefined {
  if (!c.dashboardDomain) return undefined;
  if (!c.hostedZoneId) {
    throw new ConfigError("dashboardDomain needs hostedZoneId: the Route 53 zone where its certificates are validated");
  }
  const oidcKeys = [
    c.oidcIssuer,
    c.oidcClientId,
    c.oidcAuthorizationEndpoint,
    c.oidcTokenEndpoint,
    c.oidcUserInfoEndpoint,
  ];
  const given = oidcKeys.filter(Boolean).length;
  if (given !== 0 && given !== oidcKeys.length) {
    throw new ConfigError(
      "OIDC login needs all of oidcIssuer, oidcClientId, oidcAuthorizationEndpoint, oidcTokenEndpoint, oidcUserInfoEndpoint (and the secret oidcClientSecret)",
    );
  }
  return {
    domain: c.dashboardDomain,
    hostedZoneId: c.hostedZoneId,
    oidc:
      given === 0
        ? undefined
        : {
            issuer: c.oidcIssuer!,
            clientId: c.oidcClientId!,
            authorizationEndpoint: c.oidcAuthorizationEndpoint!,
            tokenEndpoint: c.oidcTokenEndpoint!,
            userInfoEndpoint: c.oidcUserInfoEndpoint!,
          },
  };
}
