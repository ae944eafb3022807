import { describe, expect, it } from "vitest";
import { recordStack, EXAMPLE_DASHBOARD } from "./support/stack.js";
import { subjects } from "./support/subjects.js";
import { RULES } from "../../infra/policy/rules.js";

describe("try", () => {
  it("records", async () => {
    const r = await recordStack({ ...EXAMPLE_DASHBOARD, scale: "large", backupReplicaRegion: "eu-central-1" });
    const fn = r.ofType("aws:lambda/function:Function")[0]!;
    console.log(Object.keys(fn.inputs), typeof fn.inputs.code, JSON.stringify(fn.inputs.code).slice(0, 300));
    for (const rule of RULES) console.log(rule.name, rule.check(subjects(r.resources)));
    expect(r.resources.length).toBeGreaterThan(10);
  });
});
