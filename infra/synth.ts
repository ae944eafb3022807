// npm run infra:synth [-- --scale medium] [--json]: runs the program against mocks (no engine, no AWS)
// and prints its resource graph, component by component, for each scale.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./bundle.js";
import { LAMBDA_HANDLERS } from "./components/lambda-handlers.js";
import { parseSettings } from "./config.js";
import { type RecordedResource, recordProgram } from "./mock-run.js";
import { SCALES } from "./sizing.js";
import { createStack, type StackOptions } from "./stack.js";

const STUB_HANDLER = "test/infra/fixtures/handler/index.ts";
const STACK = "pulumi:pulumi:Stack";

const { values } = parseArgs({ options: { scale: { type: "string" }, json: { type: "boolean", default: false } } });
const scales = values.scale ? [values.scale] : [...SCALES];

/** The real handlers where they exist; a stub (with a note) where one is still missing. */
function handlers(): StackOptions["handlers"] {
  const chosen: Record<string, string> = {};
  for (const [kind, entry] of Object.entries(LAMBDA_HANDLERS)) {
    const present = existsSync(path.join(REPO_ROOT, entry));
    if (!present) console.error(`note: ${entry} does not exist yet; a stub handler stands in for the ${kind} Lambda`);
    chosen[kind] = present ? entry : STUB_HANDLER;
  }
  return chosen;
}

function tree(resources: RecordedResource[]): string[] {
  const children = new Map<string, RecordedResource[]>();
  for (const r of resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}`);
      walk(`${r.type}::${r.name}`, depth + 1);
    }
  };
  walk(STACK, 1);
  return lines;
}

const report: Record<string, { resources: { type: string; name: string; parent: string }[] }> = {};
for (const scale of scales) {
  // The architecture's tiers include the dashboard, which needs a domain: an example one stands in.
  const settings = parseSettings({ scale, dashboardDomain: "feedback.example.com", hostedZoneId: "Z0EXAMPLE" });
  const recording = await recordProgram(() => createStack(settings, {}, { handlers: handlers() }));
  const resources = recording.resources.map(({ type, name, parent }) => ({ type, name, parent }));
  report[scale] = { resources };
  if (values.json) continue;
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  console.log(
    `\n=== scale ${scale}: ${resources.length} resources (${resources.filter((r) => !r.type.startsWith("aws:")).length} components) ===`,
  );
  console.log(`${STACK}  feedback-triage-${scale}`);
  console.log(tree(recording.resources).join("\n"));
  console.log(`\n--- ${scale}: resources by type ---`);
  for (const [type, count] of [...counts].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${String(count).padStart(4)}  ${type}`);
}
if (values.json) console.log(JSON.stringify(report, null, 2));
