import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";

export interface DatabaseArgs {
  subnetIds: pulumi.Input<string>[];
  securityGroupId: pulumi.Input<string>;
  instanceClass?: string;
  multiAz?: boolean;
  allocatedStorageGb?: number;
  readReplica?: boolean;
  engineVersion?: string;
  production?: boolean;
  backupRetentionDays?: number;
}

export const DATABASE_NAME = "feedback";
export const MASTER_USERNAME = "feedback_admin";
/** The role the application connects as; created by the migration task, never the master user. */
export const APP_USERNAME = "feedback_app";

/** Parameter group family for an engine version: "16.4" -> "postgres16". */
export function parameterFamily(engineVersion: string): string {
  const major = engineVersion.split(".")[0];
  if (!major || !/^\d+$/.test(major)) throw new Error(`Unexpected PostgreSQL version ${engineVersion}`);
  return `postgres${major}`;
}

/** RDS PostgreSQL, private and encrypted, TLS enforced, master password managed by Secrets Manager. */
export class Database extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  readonly replica?: aws.rds.Instance;
  /** Holds the application role's credentials and URL, written by the migration task. */
  readonly appSecret: aws.secretsmanager.Secret;
  readonly masterSecretArn: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:database:Database", name, {}, opts);
    const parent = { parent: this };
    const production = args.production ?? false;
    const engineVersion = args.engineVersion ?? "16";
    const subnets = new aws.rds.SubnetGroup(childName(name, "subnets"), { subnetIds: args.subnetIds }, parent);
    const parameters = new aws.rds.ParameterGroup(
      childName(name, "params"),
      {
        family: parameterFamily(engineVersion),
        description: "feedback-triage: TLS only",
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_min_duration_statement", value: "1000" },
        ],
      },
      parent,
    );
    const storage = args.allocatedStorageGb ?? 20;
    const common = {
      instanceClass: args.instanceClass ?? "db.t3.small",
      storageEncrypted: true,
      publiclyAccessible: false,
      vpcSecurityGroupIds: [args.securityGroupId],
      parameterGroupName: parameters.name,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      deletionProtection: production,
      applyImmediately: !production,
    };
    this.instance = new aws.rds.Instance(
      childName(name, "postgres"),
      {
        ...common,
        engine: "postgres",
        engineVersion,
        dbName: DATABASE_NAME,
        username: MASTER_USERNAME,
        manageMasterUserPassword: true,
        dbSubnetGroupName: subnets.name,
        allocatedStorage: storage,
        maxAllocatedStorage: storage * 4,
        storageType: "gp3",
        multiAz: args.multiAz ?? false,
        backupRetentionPeriod: args.backupRetentionDays ?? 7,
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        skipFinalSnapshot: !production,
        ...(production ? { finalSnapshotIdentifier: `${name}-final-${pulumi.getStack()}` } : {}),
      },
      parent,
    );
    if (args.readReplica) {
      this.replica = new aws.rds.Instance(
        childName(name, "analytics-replica"),
        { ...common, replicateSourceDb: this.instance.identifier, skipFinalSnapshot: true, multiAz: false },
        parent,
      );
    }
    this.appSecret = new aws.secretsmanager.Secret(
      childName(name, "app-credentials"),
      {
        description: `PostgreSQL credentials and URL of the ${APP_USERNAME} role (written by the migration task)`,
        recoveryWindowInDays: production ? 30 : 0,
      },
      parent,
    );
    this.masterSecretArn = this.instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");
    this.registerOutputs({ endpoint: this.instance.address, appSecretArn: this.appSecret.arn });
  }
}
