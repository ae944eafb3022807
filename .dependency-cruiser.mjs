// Import boundaries: the layering of ../shared/notes/architecture.md, checked by dependency-cruiser in CI
// (`npm run lint:boundaries`). Paths are relative to the repository root.
//
//   sdk/ (contracts, ports, adapters)  <-  app layer (use cases)  <-  front ends (cli, dashboard, worker entry points)
//   infra/ apart: it bundles handler and image code as assets and imports none of it.
//   bench/ measures any layer (like test/), but reaches use cases through the app layer, not through the CLI.
//
// Edges that break a rule today are listed in KNOWN_VIOLATIONS, each naming the issue that removes it. Only
// those exact edges (file -> target) are let through; any other edge, including a new one from the same file,
// fails. test/import-boundaries.test.ts checks that every listed edge still exists, so a fixed one must be
// deleted here.

const FRONT_ENDS = {
  cli: "^cli/",
  dashboard: "^dashboard/",
  worker: "^worker/",
};
const APP_LAYER = "^app/";
const ANY_FRONT_END = Object.values(FRONT_ENDS).join("|");
const DATABASE_DRIVERS = "node_modules/(pg|pg-[^/]+|@electric-sql/[^/]+|@prisma/[^/]+|pglite-prisma-adapter)/";

/** @type {import("dependency-cruiser").IForbiddenRuleType[]} */
const RULES = [
  {
    name: "sdk-imports-only-sdk",
    comment: "sdk/ is the base layer: contracts, ports and adapters know nothing of what uses them.",
    severity: "error",
    from: { path: "^sdk/" },
    to: { path: "^(app|cli|dashboard|worker|bench|infra|test)/" },
  },
  {
    name: "app-imports-only-sdk",
    comment: "The application layer (app/: use cases, the worker pipeline, the agents) builds on sdk/ only.",
    severity: "error",
    from: { path: APP_LAYER },
    to: { path: `${ANY_FRONT_END}|^(bench|infra|test)/` },
  },
  {
    name: "front-ends-stay-apart",
    comment: "A front end (cli, dashboard, worker entry points) never imports another: they share app/ and sdk/.",
    severity: "error",
    from: { path: "^(cli|dashboard|worker)/" },
    to: { path: ANY_FRONT_END, pathNot: "^$1/" },
  },
  {
    name: "bench-uses-app-not-cli",
    comment: "Benchmarks drive use cases through the app layer, or the CLI as a process, never the CLI's modules.",
    severity: "error",
    from: { path: "^bench/" },
    to: { path: FRONT_ENDS.cli },
  },
  {
    name: "infra-stands-apart",
    comment: "infra/ bundles handler and image code as assets (by path); it imports none of the product's code.",
    severity: "error",
    from: { path: "^infra/" },
    to: { path: "^(sdk|app|cli|dashboard|worker|bench|test)/" },
  },
  {
    name: "database-behind-ports",
    comment:
      "Nothing outside sdk/ reaches the database: no sdk/db import, no database driver (the migration task goes through sdk/migrations.ts; bench/ and test/ measure adapters).",
    severity: "error",
    from: { path: `${APP_LAYER}|${ANY_FRONT_END}` },
    to: { path: `^sdk/db/|${DATABASE_DRIVERS}` },
  },
  {
    name: "aws-sdk-in-adapters",
    comment: "AWS clients live in sdk/aws adapters, which turn AWS exceptions into SDK errors keeping cause.",
    severity: "error",
    from: { pathNot: "^(sdk/aws/|infra/|test/)" },
    to: { path: "node_modules/@aws-sdk/" },
  },
  {
    name: "pulumi-in-infra",
    comment: "Only the Pulumi program imports Pulumi.",
    severity: "error",
    from: { pathNot: "^(infra/|test/)" },
    to: { path: "node_modules/@pulumi/" },
  },
  {
    name: "ink-in-cli",
    comment: "Ink and React render the CLI's terminal views only.",
    severity: "error",
    from: { pathNot: "^(cli/|test/)" },
    to: { path: "node_modules/(ink|react|ink-[^/]+)/" },
  },
  {
    name: "model-client-behind-agents-port",
    comment: "The Anthropic client is used by the Claude agents only, behind the TriageAgents port.",
    severity: "error",
    from: { pathNot: "^(app/agents/claude/|test/)" },
    to: { path: "node_modules/@anthropic-ai/" },
  },
  {
    name: "tests-not-imported",
    comment: "Product code never imports test code.",
    severity: "error",
    from: { pathNot: "^test/" },
    to: { path: "^test/" },
  },
  {
    name: "no-dev-deps-in-production",
    comment:
      "Images install production dependencies only (npm ci --omit=dev): a runtime import of a dev dependency crashes there.",
    severity: "error",
    from: { path: "^(sdk|app|cli|worker)/|^dashboard/server/", pathNot: "\\.test\\.ts$" },
    to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
  },
  {
    name: "no-undeclared-packages",
    comment:
      "Every package imported is declared in package.json (infra/lambdas run on Lambda's Node.js runtime, which provides AWS SDK v3).",
    severity: "error",
    from: { pathNot: "^infra/lambdas/" },
    to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
  },
  {
    name: "no-unresolvable-imports",
    comment: "An import that resolves to nothing fails at run time.",
    severity: "error",
    from: {},
    to: { couldNotResolve: true },
  },
];

/**
 * Edges that break a rule and are tolerated until the issue named removes them: `from` the importing
 * file(s), `to` what they import (regular expressions), `issue` e.g. "#10". Keep it empty: #10 removed the last.
 */
export const KNOWN_VIOLATIONS = [];

const either = (...patterns) => patterns.filter(Boolean).join("|") || undefined;

/** A rule, split so that exactly the known edges pass: other files keep the rule, a known file loses only its edges. */
function allowingKnown(rule, known) {
  const exceptions = known.filter((edge) => edge.rule === rule.name);
  if (exceptions.length === 0) return [rule];
  const files = [...new Set(exceptions.map((edge) => edge.from))];
  const others = { ...rule, from: { ...rule.from, pathNot: either(rule.from.pathNot, ...files) } };
  const knownFiles = files.map((file) => ({
    ...rule,
    // A lookahead: the known file AND the rule's own path, whose groups ($1) the rule's `to` may use.
    from: { ...rule.from, path: rule.from.path ? `(?=${file})(?:${rule.from.path})` : file },
    to: {
      ...rule.to,
      pathNot: either(rule.to.pathNot, ...exceptions.filter((edge) => edge.from === file).map((edge) => edge.to)),
    },
  }));
  return [others, ...knownFiles];
}

/** The rules with the given known edges let through (the tests build them with none). */
export function forbiddenRules(known = KNOWN_VIOLATIONS) {
  return RULES.flatMap((rule) => allowingKnown(rule, known));
}

/** @type {import("dependency-cruiser").ICruiseOptions} */
export const options = {
  tsConfig: { fileName: "tsconfig.json" },
  tsPreCompilationDeps: true,
  doNotFollow: { path: "node_modules" },
  exclude: { path: "^(dist|sdk/db/generated)/" },
  enhancedResolveOptions: {
    exportsFields: ["exports"],
    conditionNames: ["import", "require", "node", "default", "types"],
    mainFields: ["module", "main", "types", "typings"],
  },
};

export default { forbidden: forbiddenRules(), options };
