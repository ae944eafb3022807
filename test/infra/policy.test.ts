import { describe, expect, it } from "vitest";
import {
  encryptedStorage,
  noOpenIngress,
  noPublicBuckets,
  noPublicDatabase,
  noWildcardIamOnData,
  queuesHaveDeadLetters,
  RULES,
  type Subject,
} from "../../infra/policy/rules.js";
import { EXAMPLE_DASHBOARD, recordStack } from "./support/stack.js";
import { subjects } from "./support/subjects.js";

/** A hand-made resource; `deps` maps a property to the URNs its value came from. */
function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  deps: Record<string, string[]> = {},
): Subject {
  return { type, name, urn: `${type}::${name}`, props, dependsOn: (p) => deps[p] ?? [] };
}
const BUCKET = "aws:s3/bucket:Bucket";
const bucket = resource(BUCKET, "b", {});
const policy = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("policy pack", () => {
  it("passes the recorded program at every scale", async () => {
    for (const raw of [
      { scale: "small" },
      { ...EXAMPLE_DASHBOARD, scale: "large", guardDutyEnabled: "true", backupReplicaRegion: "eu-central-1" },
    ]) {
      const recording = await recordStack(raw);
      const violations = RULES.flatMap((rule) => rule.check(subjects(recording.resources)));
      expect(violations).toEqual([]);
    }
  });

  it("fails a publicly accessible database", () => {
    const found = noPublicDatabase.check([
      resource("aws:rds/instance:Instance", "db", { publiclyAccessible: true, storageEncrypted: true }),
    ]);
    expect(found.map((v) => v.message)).toEqual(["db: publiclyAccessible must be false"]);
  });

  it("fails a bucket without a public access block, or with one that lets anything through", () => {
    expect(noPublicBuckets.check([bucket])[0]?.message).toMatch(/no public access block/);
    const leaky = resource(
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "pab",
      { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true },
      { bucket: [bucket.urn] },
    );
    expect(noPublicBuckets.check([bucket, leaky]).map((v) => v.message)).toEqual([
      "pab: public access block must set blockPublicPolicy",
    ]);
  });

  it("fails a public ACL and a bucket policy that allows everyone", () => {
    expect(noPublicBuckets.check([resource("aws:s3/bucketAcl:BucketAcl", "acl", { acl: "public-read" })])).toHaveLength(
      1,
    );
    const open = resource("aws:s3/bucketPolicy:BucketPolicy", "p", {
      policy: policy({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }),
    });
    expect(noPublicBuckets.check([open])[0]?.message).toMatch(/allows everyone/);
  });

  it("fails unencrypted databases, tables, queues and buckets", () => {
    const found = encryptedStorage.check([
      resource("aws:rds/instance:Instance", "db", { storageEncrypted: false }),
      resource("aws:dynamodb/table:Table", "t", {}),
      resource("aws:sqs/queue:Queue", "q", { sqsManagedSseEnabled: false }),
      bucket,
    ]);
    expect(found.map((v) => v.urn.split("::")[1])).toEqual(["db", "t", "q", "b"]);
  });

  it("fails ingress from anywhere on any port but the load balancer's 80 and 443", () => {
    const rule = (name: string, props: Record<string, unknown>) =>
      resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name, props);
    const alb = { "feedback:exposure": "internet-facing-alb" };
    const found = noOpenIngress.check([
      rule("ssh", { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }),
      rule("untagged-https", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
      rule("alb-range", { ipProtocol: "tcp", fromPort: 80, toPort: 443, cidrIpv4: "0.0.0.0/0", tags: alb }),
      rule("alb-https", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", tags: alb }),
      resource("aws:ec2/securityGroup:SecurityGroup", "inline", {
        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }],
      }),
    ]);
    expect(found.map((v) => v.urn.split("::")[1])).toEqual(["ssh", "untagged-https", "alb-range", "inline"]);
  });

  it("fails wildcard actions and data actions on every resource", () => {
    const rolePolicy = (name: string, statement: object) =>
      resource("aws:iam/rolePolicy:RolePolicy", name, { policy: policy(statement) });
    const found = noWildcardIamOnData.check([
      rolePolicy("all", { Effect: "Allow", Action: "*", Resource: "*" }),
      rolePolicy("s3-star", { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }),
      rolePolicy("any-table", { Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: "*" }),
      rolePolicy("xray", { Effect: "Allow", Action: ["xray:PutTraceSegments"], Resource: "*" }),
    ]);
    expect(found.map((v) => v.urn.split("::")[1])).toEqual(["all", "s3-star", "any-table"]);
  });

  it("fails a queue without a dead-letter queue unless it is one", () => {
    const found = queuesHaveDeadLetters.check([
      resource("aws:sqs/queue:Queue", "plain", { sqsManagedSseEnabled: true }),
      resource("aws:sqs/queue:Queue", "dlq", { tags: { "feedback:role": "dead-letter" } }),
      resource("aws:sqs/queue:Queue", "work", { redrivePolicy: "{}" }),
    ]);
    expect(found.map((v) => v.urn.split("::")[1])).toEqual(["plain"]);
  });
});
