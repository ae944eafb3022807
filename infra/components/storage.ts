import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";
import { assumedBy, policyDocument } from "../policy-documents.js";
import { SecureBucket } from "./bucket.js";

export interface StorageArgs {
  glacierAfterDays?: number;
  expireAfterDays?: number;
  /** Copy every backup to a bucket in this region as well. */
  backupReplicaRegion?: string;
  forceDestroy?: boolean;
}

/** The artifacts and backups buckets: archived to Glacier after 30 days, deleted after a year. */
export class Storage extends pulumi.ComponentResource {
  readonly artifacts: SecureBucket;
  readonly backups: SecureBucket;
  readonly backupReplica?: SecureBucket;

  constructor(name: string, args: StorageArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:storage:Storage", name, {}, opts);
    const lifecycle = {
      glacierAfterDays: args.glacierAfterDays ?? 30,
      expireAfterDays: args.expireAfterDays ?? 365,
      forceDestroy: args.forceDestroy,
    };
    this.artifacts = new SecureBucket(childName(name, "artifacts"), lifecycle, { parent: this });
    this.backups = new SecureBucket(childName(name, "backups"), lifecycle, { parent: this });
    if (args.backupReplicaRegion) {
      this.backupReplica = this.replicate(name, args.backupReplicaRegion, lifecycle);
    }
    this.registerOutputs({ artifactsBucket: this.artifacts.bucket.bucket, backupsBucket: this.backups.bucket.bucket });
  }

  private replicate(
    name: string,
    region: string,
    lifecycle: ConstructorParameters<typeof SecureBucket>[1],
  ): SecureBucket {
    const provider = new aws.Provider(
      childName(name, "replica-provider"),
      { region: region as aws.Region },
      { parent: this },
    );
    const replica = new SecureBucket(childName(name, "backups-replica"), lifecycle, { parent: this, provider });
    const source = this.backups.bucket.arn;
    const destination = replica.bucket.arn;
    const role = new aws.iam.Role(
      childName(name, "replication-role"),
      { assumeRolePolicy: assumedBy("s3.amazonaws.com") },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      childName(name, "replication-policy"),
      {
        role: role.id,
        policy: policyDocument([
          { Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source },
          {
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: pulumi.interpolate`${source}/*`,
          },
          {
            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
            Resource: pulumi.interpolate`${destination}/*`,
          },
        ]),
      },
      { parent: this },
    );
    new aws.s3.BucketReplicationConfig(
      childName(name, "backups-replication"),
      {
        bucket: this.backups.bucket.id,
        role: role.arn,
        rules: [
          {
            id: "backups-to-replica",
            status: "Enabled",
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            destination: { bucket: destination, storageClass: "STANDARD_IA" },
          },
        ],
      },
      { parent: this, dependsOn: [this.backups, replica] },
    );
    return replica;
  }
}
