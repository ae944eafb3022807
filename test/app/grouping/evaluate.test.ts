import { describe, expect, it } from "vitest";
import { type EvalItem, tuneThresholds } from "../../../app/grouping/evaluate.js";
import { featuresOf } from "../../../app/grouping/features.js";
import { scopeKey } from "../../../app/grouping/grouper.js";

const item = (id: string, problem: string): EvalItem => ({
  ticketId: id,
  scope: scopeKey("eval-app", "Bug"),
  vector: new Float32Array([1, 0]),
  features: featuresOf("The app crashes"),
  split: "tune",
  problem,
  hardNegative: false,
  family: problem,
});

describe("fitting the join threshold on the tune half", () => {
  it("joins nothing when no threshold tried reaches the precision", () => {
    // Identical reports of two problems: every threshold that joins them joins the wrong ones too.
    const tune = [item("a1", "p1"), item("a2", "p1"), item("b1", "p2"), item("b2", "p2")];
    const fitted = tuneThresholds(tune, { highest: 0.95, lowest: 0.5 });
    expect(fitted).toMatchObject({ joinThreshold: 0.96, recall: 0 });
  });
});
