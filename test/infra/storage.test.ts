import { beforeAll, describe, expect, it } from "vitest";
import { Storage } from "../../infra/components/storage.js";
import { type Recording, recordProgram } from "./support/harness.js";
import { statementsOf } from "./support/iam.js";

describe("storage", () => {
  let r: Recording;
  let replicated: Recording;
  beforeAll(async () => {
    r = await recordProgram(() => new Storage("feedback-storage"));
    replicated = await recordProgram(() => new Storage("feedback-storage", { backupReplicaRegion: "eu-central-1" }));
  });

  it("versions the artifacts and backups buckets", () => {
    for (const part of ["artifacts", "backups"]) {
      expect(r.named(`feedback-storage-${part}-versioning`).inputs.versioningConfiguration.status).toBe("Enabled");
    }
  });

  it("blocks every kind of public access on every bucket", () => {
    const blocks = r.ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    expect(blocks).toHaveLength(r.ofType("aws:s3/bucket:Bucket").length);
    for (const block of blocks) {
      expect([
        block.inputs.blockPublicAcls,
        block.inputs.blockPublicPolicy,
        block.inputs.ignorePublicAcls,
        block.inputs.restrictPublicBuckets,
      ]).toEqual([true, true, true, true]);
    }
  });

  it("encrypts every bucket by default", () => {
    const sse = r.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
    expect(sse).toHaveLength(r.ofType("aws:s3/bucket:Bucket").length);
    expect(sse[0]!.inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).toBe("AES256");
  });

  it("moves objects to Glacier after 30 days and deletes them after a year", () => {
    const rule = r.named("feedback-storage-backups-lifecycle").inputs.rules[0];
    expect(rule.transitions).toEqual([{ days: 30, storageClass: "GLACIER" }]);
    expect(rule.expiration).toEqual({ days: 365 });
  });

  it("refuses plain HTTP on every bucket", () => {
    const deny = statementsOf(r, "feedback-storage-artifacts-policy").find((s) => s.Sid === "DenyInsecureTransport")!;
    expect(deny.Effect).toBe("Deny");
    expect(deny.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
  });

  it("replicates backups to another region when asked", () => {
    expect(r.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toEqual([]);
    const replication = replicated.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs;
    expect(replication.bucket).toBe("feedback-storage-backups-bucket-id");
    expect(replication.rules[0].destination.bucket).toBe("arn:aws:s3:::feedback-storage-backups-replica-bucket");
    expect(replicated.named("feedback-storage-replica-provider").inputs.region).toBe("eu-central-1");
  });
});
