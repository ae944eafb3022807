import { describe, expect, it } from "vitest";
import { accuracy, confusionMatrix, perClassMetrics } from "../../sdk/eval/metrics.js";

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
});
