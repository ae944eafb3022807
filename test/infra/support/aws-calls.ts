import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * What AWS actions a component's code can call, read statically from its source: the files reachable from
 * its entry point through relative imports (static ones and literal dynamic ones; `import type` left
 * out), and in them every `new XxxCommand(` whose class comes from an @aws-sdk client or lib-dynamodb, and
 * every `new Upload(` of @aws-sdk/lib-storage. Reachable is more than called: a module the entry point
 * imports may hold an adapter it never uses (the caller lists those, with the reason, as not called).
 */
export interface AwsCall {
  /** The IAM action, e.g. "sqs:SendMessage". */
  action: string;
  /** Where it is called from: "<file relative to the root>: <Command>". */
  site: string;
}

/** The IAM prefix of each client package. */
const SERVICE_PREFIX: Record<string, string> = {
  "client-sqs": "sqs",
  "client-s3": "s3",
  "client-dynamodb": "dynamodb",
  "lib-dynamodb": "dynamodb",
  "client-eventbridge": "events",
  "client-secrets-manager": "secretsmanager",
  "client-ecs": "ecs",
};

/** API operations whose IAM action has another name (the rest are named like the operation). */
const IAM_ACTION: Record<string, string[]> = {
  "sqs:SendMessageBatch": ["sqs:SendMessage"],
  "sqs:DeleteMessageBatch": ["sqs:DeleteMessage"],
  "sqs:ChangeMessageVisibilityBatch": ["sqs:ChangeMessageVisibility"],
  // Moving messages out of a DLQ needs, besides the action itself, these on the source and the destination.
  "sqs:StartMessageMoveTask": [
    "sqs:StartMessageMoveTask",
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:SendMessage",
  ],
  // Running a task hands its roles to ECS.
  "ecs:RunTask": ["ecs:RunTask", "iam:PassRole"],
  "s3:ListObjectsV2": ["s3:ListBucket"],
  "s3:ListObjects": ["s3:ListBucket"],
  "s3:HeadObject": ["s3:GetObject"],
  "s3:CreateMultipartUpload": ["s3:PutObject"],
  "s3:UploadPart": ["s3:PutObject"],
  "s3:CompleteMultipartUpload": ["s3:PutObject"],
  // lib-storage's Upload: PutObject for a small body, a multipart upload otherwise, aborted on failure.
  "s3:Upload": ["s3:PutObject", "s3:AbortMultipartUpload"],
  // lib-dynamodb's document commands.
  "dynamodb:Put": ["dynamodb:PutItem"],
  "dynamodb:Get": ["dynamodb:GetItem"],
  "dynamodb:Delete": ["dynamodb:DeleteItem"],
  "dynamodb:Update": ["dynamodb:UpdateItem"],
  "dynamodb:BatchWrite": ["dynamodb:BatchWriteItem"],
  "dynamodb:BatchGet": ["dynamodb:BatchGetItem"],
  "dynamodb:TransactWrite": ["dynamodb:TransactWriteItems"],
  "dynamodb:TransactGet": ["dynamodb:TransactGetItems"],
};

const IMPORT = /^\s*import\s+(type\s+)?([^;]*?)\s+from\s*["']([^"']+)["']/gm;
const SIDE_EFFECT_IMPORT = /^\s*import\s*["'](\.[^"']+)["']/gm;
const EXPORT_FROM = /^\s*export\s+(type\s+)?[^;]*?\bfrom\s*["'](\.[^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.[^"']+)["']\s*\)/g;

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, ".ts"),
    base.replace(/\.js$/, ".tsx"),
    base.replace(/\.mjs$/, ".mts"),
  ];
  const found = candidates.find((candidate) => existsSync(candidate) && /\.(ts|tsx|mts|mjs|js)$/.test(candidate));
  if (!found) throw new Error(`${from} imports ${specifier}, which does not exist`);
  return found;
}

/** Names imported at run time (not `import type`, not `type X` members) from each module. */
function runtimeImports(text: string): { names: string[]; from: string }[] {
  const imports: { names: string[]; from: string }[] = [];
  for (const match of text.matchAll(IMPORT)) {
    if (match[1]) continue;
    const clause = match[2]!;
    const braces = /\{([^}]*)\}/.exec(clause)?.[1] ?? "";
    const names = braces
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part && !part.startsWith("type "))
      .map((part) =>
        part
          .split(/\s+as\s+/)
          .at(-1)!
          .trim(),
      );
    const outside = clause
      .replace(/\{[^}]*\}/, "")
      .replace(/,/g, " ")
      .trim();
    if (outside) names.push(...outside.split(/\s+/).filter((word) => word !== "*" && word !== "as"));
    imports.push({ names, from: match[3]! });
  }
  return imports;
}

/** Source files reachable from `entries` (relative to `root`) through relative run-time imports. */
export function reachableFiles(root: string, entries: string[]): string[] {
  const seen = new Set<string>();
  const queue = entries.map((entry) => path.resolve(root, entry));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...runtimeImports(text).map((i) => i.from),
      ...[...text.matchAll(SIDE_EFFECT_IMPORT)].map((m) => m[1]!),
      ...[...text.matchAll(EXPORT_FROM)].filter((m) => !m[1]).map((m) => m[2]!),
      ...[...text.matchAll(DYNAMIC_IMPORT)].map((m) => m[1]!),
    ];
    for (const specifier of specifiers) {
      // Data (JSON) holds no calls.
      if (specifier.startsWith(".") && !specifier.endsWith(".json")) queue.push(resolveRelative(file, specifier));
    }
  }
  return [...seen].map((file) => path.relative(root, file)).sort();
}

/** Every AWS call in `files` (relative to `root`), as IAM actions with the call site. */
export function awsCalls(root: string, files: string[]): AwsCall[] {
  const calls: AwsCall[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), "utf8");
    for (const { names, from } of runtimeImports(text)) {
      const pkg = /^@aws-sdk\/([^/]+)$/.exec(from)?.[1];
      if (!pkg) continue;
      const prefix = pkg === "lib-storage" ? "s3" : SERVICE_PREFIX[pkg];
      for (const name of names) {
        const operation =
          pkg === "lib-storage" ? (name === "Upload" ? "Upload" : undefined) : /^(\w+)Command$/.exec(name)?.[1];
        if (!operation || !prefix) continue;
        if (!new RegExp(`\\bnew\\s+${name}\\s*\\(`).test(text)) continue;
        const api = `${prefix}:${operation}`;
        for (const action of IAM_ACTION[api] ?? [api]) calls.push({ action, site: `${file}: ${name}` });
      }
      if (!prefix && names.some((name) => name.endsWith("Command")))
        throw new Error(`${file} uses ${from}, which has no IAM prefix here: add it to SERVICE_PREFIX`);
    }
  }
  return calls;
}

/** The distinct actions of `calls`, sorted. */
export function actionsOf(calls: AwsCall[]): string[] {
  return [...new Set(calls.map((call) => call.action))].sort();
}

export interface PolicyStatement {
  Effect?: string;
  Action: string | string[];
  Resource: string | string[];
}

/** Whether an IAM action pattern (e.g. "sqs:*", "s3:Get*") covers `action`. */
export function covers(pattern: string, action: string): boolean {
  const regexp = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return regexp.test(action);
}

export interface PermissionReport {
  /** Actions the code calls that no statement allows, each with where it is called. */
  missing: { action: string; sites: string[] }[];
  /** Allowed actions the code never calls. */
  unused: string[];
}

/**
 * Compares what the code calls with what the policy allows, action by action (not resource by resource:
 * which ARN each call reaches is decided at run time by the settings, and the component tests check the
 * resources of each statement). `notCalled` lists reachable actions the component never calls.
 */
export function comparePermissions(
  calls: AwsCall[],
  statements: PolicyStatement[],
  notCalled: readonly string[] = [],
): PermissionReport {
  const allowed = statements.filter((s) => (s.Effect ?? "Allow") === "Allow").flatMap((s) => [s.Action].flat());
  const needed = calls.filter((call) => !notCalled.includes(call.action));
  const missing = actionsOf(needed)
    .filter((action) => !allowed.some((pattern) => covers(pattern, action)))
    .map((action) => ({ action, sites: needed.filter((c) => c.action === action).map((c) => c.site) }));
  const used = actionsOf(calls);
  const unused = [...new Set(allowed)].filter((pattern) => !used.some((action) => covers(pattern, action))).sort();
  return { missing, unused };
}
