// The policy pack's rules as plain functions over resources, so they can be tested without the pack's server.

export interface Subject {
  type: string;
  name: string;
  urn: string;
  // Resource properties as the engine reports them: untyped JSON.
  // biome-ignore lint/suspicious/noExplicitAny: untyped resource properties
  props: Record<string, any>;
  /** URNs of the resources a property's value came from (the bucket a public access block is for, ...). */
  dependsOn(property: string): string[];
}

export interface Violation {
  urn: string;
  message: string;
}

export interface Rule {
  name: string;
  description: string;
  check(resources: Subject[]): Violation[];
}

const ANYWHERE = ["0.0.0.0/0", "::/0"];
const EXPOSURE_TAG = ["feedback:exposure", "internet-facing-alb"] as const;
const DEAD_LETTER_TAG = ["feedback:role", "dead-letter"] as const;
/** Services holding data: their actions must name resources, never "*". */
const DATA_SERVICES = [
  "s3",
  "dynamodb",
  "sqs",
  "rds",
  "rds-db",
  "rds-data",
  "secretsmanager",
  "kms",
  "sns",
  "events",
  "lambda",
];
/** Actions AWS offers no resource-level permission for. */
const UNSCOPABLE_ACTIONS = new Set([
  "secretsmanager:GetRandomPassword",
  "secretsmanager:ListSecrets",
  "s3:ListAllMyBuckets",
  "sqs:ListQueues",
]);

const of = (resources: Subject[], ...types: string[]) => resources.filter((r) => types.includes(r.type));
const violation = (r: Subject, message: string): Violation => ({ urn: r.urn, message: `${r.name}: ${message}` });
const hasTag = (r: Subject, [key, value]: readonly [string, string]) => r.props.tags?.[key] === value;

/** Buckets (by URN) that some resource of `type` refers to through its `bucket` property. */
function bucketsCoveredBy(resources: Subject[], type: string, accept: (r: Subject) => boolean): Set<string> {
  return new Set(
    of(resources, type)
      .filter(accept)
      .flatMap((r) => r.dependsOn("bucket")),
  );
}

export const noPublicDatabase: Rule = {
  name: "no-public-database",
  description: "Databases are never publicly accessible",
  check: (resources) =>
    of(resources, "aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance")
      .filter((r) => r.props.publiclyAccessible === true)
      .map((r) => violation(r, "publiclyAccessible must be false")),
};

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
export const noPublicBuckets: Rule = {
  name: "no-public-buckets",
  description: "Every bucket blocks public access; no public ACLs or policies",
  check(resources) {
    const out: Violation[] = [];
    const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
    for (const r of of(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")) {
      const off = flags.filter((f) => r.props[f] !== true);
      if (off.length > 0) out.push(violation(r, `public access block must set ${off.join(", ")}`));
    }
    const blocked = bucketsCoveredBy(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", () => true);
    for (const bucket of of(resources, "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")) {
      if (!blocked.has(bucket.urn)) out.push(violation(bucket, "has no public access block"));
      if (PUBLIC_ACLS.includes(bucket.props.acl)) out.push(violation(bucket, `ACL ${bucket.props.acl} is public`));
    }
    for (const r of of(resources, "aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")) {
      if (PUBLIC_ACLS.includes(r.props.acl)) out.push(violation(r, `ACL ${r.props.acl} is public`));
    }
    for (const r of of(resources, "aws:s3/bucketPolicy:BucketPolicy")) {
      const publicAllow = statements(r.props.policy).some((s) => s.Effect === "Allow" && isEveryone(s.Principal));
      if (publicAllow) out.push(violation(r, "bucket policy allows everyone"));
    }
    return out;
  },
};

export const encryptedStorage: Rule = {
  name: "encrypted-storage",
  description: "Databases, tables, queues, buckets and volumes are encrypted at rest",
  check(resources) {
    const out: Violation[] = [];
    for (const r of of(resources, "aws:rds/instance:Instance", "aws:rds/cluster:Cluster")) {
      if (r.props.storageEncrypted !== true) out.push(violation(r, "storageEncrypted must be true"));
    }
    for (const r of of(resources, "aws:dynamodb/table:Table")) {
      if (r.props.serverSideEncryption?.enabled !== true)
        out.push(violation(r, "serverSideEncryption must be enabled (KMS)"));
    }
    for (const r of of(resources, "aws:sqs/queue:Queue")) {
      if (r.props.sqsManagedSseEnabled !== true && !r.props.kmsMasterKeyId)
        out.push(violation(r, "needs SSE (sqsManagedSseEnabled or a KMS key)"));
    }
    for (const r of of(resources, "aws:ebs/volume:Volume")) {
      if (r.props.encrypted !== true) out.push(violation(r, "EBS volume must be encrypted"));
    }
    const encrypted = bucketsCoveredBy(
      resources,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      (r) =>
        (r.props.rules ?? []).some(
          (rule: { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }) =>
            rule.applyServerSideEncryptionByDefault?.sseAlgorithm,
        ),
    );
    for (const bucket of of(resources, "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")) {
      if (!encrypted.has(bucket.urn)) out.push(violation(bucket, "has no default encryption configuration"));
    }
    return out;
  },
};

export const noOpenIngress: Rule = {
  name: "no-open-ingress",
  description: "Only the dashboard's load balancer accepts traffic from anywhere, and only on 80 and 443",
  check(resources) {
    const out: Violation[] = [];
    const allowed = (
      r: Subject,
      rule: { fromPort?: number; toPort?: number; ipProtocol?: string; protocol?: string },
    ) =>
      hasTag(r, EXPOSURE_TAG) &&
      (rule.ipProtocol ?? rule.protocol) === "tcp" &&
      rule.fromPort === rule.toPort &&
      (rule.fromPort === 80 || rule.fromPort === 443);
    for (const r of of(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
      const open = ANYWHERE.includes(r.props.cidrIpv4) || ANYWHERE.includes(r.props.cidrIpv6);
      if (open && !allowed(r, r.props))
        out.push(violation(r, "ingress from anywhere is only for the load balancer on 80/443"));
    }
    for (const r of of(resources, "aws:ec2/securityGroupRule:SecurityGroupRule")) {
      const open = [...(r.props.cidrBlocks ?? []), ...(r.props.ipv6CidrBlocks ?? [])].some((c: string) =>
        ANYWHERE.includes(c),
      );
      if (r.props.type === "ingress" && open && !allowed(r, r.props))
        out.push(violation(r, "ingress from anywhere is only for the load balancer on 80/443"));
    }
    for (const r of of(resources, "aws:ec2/securityGroup:SecurityGroup")) {
      for (const rule of r.props.ingress ?? []) {
        const open = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].some((c: string) =>
          ANYWHERE.includes(c),
        );
        if (open && !allowed(r, rule))
          out.push(violation(r, `inline ingress from anywhere on ${rule.fromPort}-${rule.toPort}`));
      }
    }
    return out;
  },
};

interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
}

function statements(policy: unknown): PolicyStatement[] {
  if (typeof policy !== "string") return []; // unknown during a preview: checked on the update
  try {
    const parsed = JSON.parse(policy) as { Statement?: PolicyStatement | PolicyStatement[] };
    return [parsed.Statement ?? []].flat();
  } catch {
    return [];
  }
}

function isEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());

/** "*", "s3:*", "dynamodb:Put*": an action pattern that grants more than it names. */
function wildcardOnData(action: string): boolean {
  if (action === "*") return true;
  const [service, name] = action.split(":");
  return DATA_SERVICES.includes(service ?? "") && (name ?? "").includes("*");
}

export const noWildcardIamOnData: Rule = {
  name: "no-wildcard-iam-on-data",
  description: "IAM policies name the actions and the data resources they allow",
  check(resources) {
    const out: Violation[] = [];
    const types = [
      "aws:iam/policy:Policy",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/userPolicy:UserPolicy",
      "aws:iam/groupPolicy:GroupPolicy",
    ];
    for (const r of of(resources, ...types)) {
      for (const s of statements(r.props.policy)) {
        if (s.Effect === "Deny") continue;
        const actions = asList(s.Action);
        const wild = actions.filter(wildcardOnData);
        if (wild.length > 0) out.push(violation(r, `wildcard actions ${wild.join(", ")}`));
        const onEverything = asList(s.Resource).includes("*");
        const dataActions = actions.filter(
          (a) => DATA_SERVICES.includes(a.split(":")[0] ?? "") && !UNSCOPABLE_ACTIONS.has(a),
        );
        if (onEverything && dataActions.length > 0)
          out.push(violation(r, `${dataActions.join(", ")} on every resource ("*")`));
      }
    }
    return out;
  },
};

export const queuesHaveDeadLetters: Rule = {
  name: "queues-have-dead-letter-queues",
  description: "Every queue has a dead-letter queue, unless it is one",
  check: (resources) =>
    of(resources, "aws:sqs/queue:Queue")
      .filter((r) => !r.props.redrivePolicy && !hasTag(r, DEAD_LETTER_TAG))
      .map((r) => violation(r, "has no redrive policy (and is not tagged as a dead-letter queue)")),
};

export const RULES: Rule[] = [
  noPublicDatabase,
  noPublicBuckets,
  encryptedStorage,
  noOpenIngress,
  noWildcardIamOnData,
  queuesHaveDeadLetters,
];
