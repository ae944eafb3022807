import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BenchUsageError, readBenchArgs, wholeNumber } from "../../../bench/support/bench-args.js";

const options = { items: { type: "string", default: "10" }, keep: { type: "boolean", default: false } } as const;

describe("readBenchArgs", () => {
  it("reads the benchmark's flags with their defaults", () => {
    expect(readBenchArgs(options, ["--keep"])).toMatchObject({ items: "10", keep: true });
  });

  it("names an unknown flag as a usage error", () => {
    expect(() => readBenchArgs(options, ["--itmes", "5"])).toThrow(BenchUsageError);
    expect(() => readBenchArgs(options, ["--itmes", "5"])).toThrow(/--itmes/);
  });

  it("names a flag given without its value", () => {
    expect(() => readBenchArgs(options, ["--items"])).toThrow(/--items/);
  });

  it("takes --help", () => {
    expect(readBenchArgs(options, ["--help"]).help).toBe(true);
  });
});

describe("wholeNumber", () => {
  it("reads a whole number", () => {
    expect(wholeNumber("2500", "--items")).toBe(2500);
  });

  it.each(["abc", "1.5", "0", ""])("refuses %j, naming the flag", (value) => {
    expect(() => wholeNumber(value, "--items")).toThrow(/^--items must be a whole number of at least 1, got/);
  });
});

describe("a benchmark's command line", () => {
  const bench = new URL("../../../dist/bench/parse.js", import.meta.url).pathname;

  it("exits 2 with the error and the usage for an unknown flag, without a stack trace", () => {
    const run = spawnSync(process.execPath, [bench, "--bogus"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: .*'--bogus'/);
    expect(run.stderr).toMatch(/Usage: node dist\/bench\/parse\.js/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("prints its usage for --help", () => {
    const run = spawnSync(process.execPath, [bench, "--help"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: node dist\/bench\/parse\.js/);
  });

  it("exits 2 naming a flag whose number is not one", () => {
    const run = spawnSync(process.execPath, [bench, "--rows", "many"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: --rows must be a whole number/);
  });
});
