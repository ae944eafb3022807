/**
 * CLI start-up: `node dist/bench/cli-start.js [--runs 21]` times `feedback-cli --help`, `feedback-cli tickets --help`
 * and a usage error against `node -e 0` in the same run, alternating, and prints each one's median and its ratio to
 * node's (the goal for `--help`: <= 1.5x).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchArgs, wholeNumber, withUsage } from "./support/bench-args.js";

const USAGE = "Usage: node dist/bench/cli-start.js [--runs 21]";
const values = benchArgs(USAGE, { runs: { type: "string", default: "21" } });
const runs = withUsage(USAGE, () => wholeNumber(values.runs, "--runs"));
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), "../cli/bin.js");
const cases: Record<string, string[]> = {
  "node -e 0": ["-e", "0"],
  "--help": [bin, "--help"],
  "tickets --help": [bin, "tickets", "--help"],
  "usage error (tickets list --limit x)": [bin, "tickets", "list", "--limit", "x"],
};

function timeOnce(args: string[]): number {
  const started = performance.now();
  spawnSync(process.execPath, args, { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  return performance.now() - started;
}

const samples = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs; i++)
  for (const [name, args] of Object.entries(cases)) samples.get(name)!.push(timeOnce(args));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const base = median(samples.get("node -e 0")!);
for (const [name, values] of samples) {
  const ms = median(values);
  console.log(`${name.padEnd(38)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / base).toFixed(2)}x node -e 0`);
}
