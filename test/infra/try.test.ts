import { describe, expect, it } from "vitest";
import { recordStack, EXAMPLE_DASHBOARD } from "./support/stack.js";

describe("try", () => {
  it("records", async () => {
    const t = Date.now();
    const r = await recordStack({ ...EXAMPLE_DASHBOARD });
    console.log(Date.now() - t, r.resources.length, JSON.stringify(r.outputs).slice(0, 800));
    const counts: Record<string, number> = {};
    for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
    console.log(counts);
    console.log(r.resources.slice(0, 8).map((x) => `${x.type} ${x.name} <- ${x.parent}`).join("\n"));
    const r2 = await recordStack({ scale: "large" });
    console.log("second", r2.resources.length);
    expect(r.resources.length).toBeGreaterThan(10);
  });
});
