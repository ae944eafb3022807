import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";
import { policyDocument, type Statement } from "../policy-documents.js";

export interface SecureBucketArgs {
  /** Move objects to Glacier after this many days (with expireAfterDays: the archive lifecycle). */
  glacierAfterDays?: number;
  expireAfterDays?: number;
  /** Send object events to EventBridge (the default bus). */
  eventBridge?: boolean;
  /** Extra bucket policy statements, e.g. letting SES or CloudTrail write. */
  statements?: (bucketArn: pulumi.Output<string>) => Statement[];
  forceDestroy?: boolean;
}

/** A private, encrypted, versioned bucket that refuses plain HTTP. */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: SecureBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:storage:SecureBucket", name, {}, opts);
    const parent = { parent: this };
    this.bucket = new aws.s3.Bucket(childName(name, "bucket"), { forceDestroy: args.forceDestroy ?? false }, parent);
    const bucket = this.bucket.id;
    new aws.s3.BucketOwnershipControls(
      childName(name, "ownership"),
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      childName(name, "public-access"),
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      childName(name, "encryption"),
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
      parent,
    );
    const versioning = new aws.s3.BucketVersioning(
      childName(name, "versioning"),
      { bucket, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    if (args.glacierAfterDays !== undefined || args.expireAfterDays !== undefined) {
      new aws.s3.BucketLifecycleConfiguration(
        childName(name, "lifecycle"),
        {
          bucket,
          rules: [
            {
              id: "archive-then-expire",
              status: "Enabled",
              filter: {},
              ...(args.glacierAfterDays !== undefined
                ? { transitions: [{ days: args.glacierAfterDays, storageClass: "GLACIER" }] }
                : {}),
              ...(args.expireAfterDays !== undefined
                ? {
                    expiration: { days: args.expireAfterDays },
                    noncurrentVersionExpiration: { noncurrentDays: args.expireAfterDays },
                  }
                : {}),
              abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
          ],
        },
        { parent: this, dependsOn: [versioning] },
      );
    }
    if (args.eventBridge) {
      new aws.s3.BucketNotification(childName(name, "notifications"), { bucket, eventbridge: true }, parent);
    }
    const arn = this.bucket.arn;
    this.policy = new aws.s3.BucketPolicy(
      childName(name, "policy"),
      {
        bucket,
        policy: policyDocument([
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [arn, pulumi.interpolate`${arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          ...(args.statements?.(arn) ?? []),
        ]),
      },
      { parent: this, dependsOn: [publicAccess] },
    );
    this.registerOutputs({ bucketName: this.bucket.bucket, bucketArn: arn });
  }
}
