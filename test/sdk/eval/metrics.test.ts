import { describe, expect, it } from "vitest";
import { accuracy, classMetrics, confusionMatrix, perClassMetrics, reliability } from "../../../sdk/eval/metrics.js";

const pairs = [
  { expected: "Bug", predicted: "Bug" },
  { expected: "Bug", predicted: "Complaint" },
  { expected: "Praise", predicted: "Praise" },
  { expected: "Complaint", predicted: "Bug" },
];

describe("evaluation metrics", () => {
  it("computes accuracy as the share of exact matches", () => {
    expect(accuracy(pairs)).toBe(0.5);
  });

  it("computes precision, recall and F1 per label with its support", () => {
    const bug = perClassMetrics(pairs, ["Bug", "Praise", "Complaint"]).find((m) => m.label === "Bug");
    expect(bug).toEqual({ label: "Bug", precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  it("computes precision, recall and F1 of one label as the positive class", () => {
    const twoBugs = [...pairs, { expected: "Praise", predicted: "Bug" }];
    const bug = classMetrics(twoBugs, "Bug");
    expect(bug.precision).toBeCloseTo(1 / 3);
    expect(bug.recall).toBe(0.5);
    expect(bug.f1).toBeCloseTo(0.4);
    expect(bug.support).toBe(2);
  });

  it("lists per-label metrics in the known order, then unknown labels sorted", () => {
    expect(perClassMetrics(pairs, ["Praise", "Bug"]).map((m) => m.label)).toEqual(["Praise", "Bug", "Complaint"]);
  });

  it("builds a confusion matrix with expected rows and predicted columns in the known order", () => {
    expect(confusionMatrix(pairs, ["Bug", "Praise", "Complaint"])).toEqual({
      labels: ["Bug", "Praise", "Complaint"],
      matrix: [
        [1, 0, 1],
        [0, 1, 0],
        [1, 0, 0],
      ],
    });
  });

  it("appends labels it does not know after the known ones", () => {
    expect(confusionMatrix([{ expected: "Odd", predicted: "Bug" }], ["Bug"]).labels).toEqual(["Bug", "Odd"]);
  });

  it("scores an empty set as zero rather than dividing by zero", () => {
    expect(accuracy([])).toBe(0);
    expect(perClassMetrics([{ expected: "A", predicted: "B" }]).every((m) => Number.isFinite(m.f1))).toBe(true);
  });

  it("buckets predictions by confidence, the last bucket closed at its top, with accuracy and mean confidence", () => {
    const rows = reliability(
      [
        { expected: "Bug", predicted: "Bug", confidence: 0.2 },
        { expected: "Bug", predicted: "Spam", confidence: 0.4 },
        { expected: "Bug", predicted: "Bug", confidence: 0.9 },
        { expected: "Bug", predicted: "Bug", confidence: 1 },
      ],
      [0, 0.5, 0.9, 1],
    );
    expect(rows).toEqual([
      { from: 0, to: 0.5, n: 2, meanConfidence: expect.closeTo(0.3), accuracy: 0.5 },
      { from: 0.5, to: 0.9, n: 0, meanConfidence: 0, accuracy: 0 },
      { from: 0.9, to: 1, n: 2, meanConfidence: 0.95, accuracy: 1 },
    ]);
  });
});
