import { describe, expect, it } from "vitest";
import { fitLogistic, predict } from "../../../app/grouping/logistic.js";

describe("logistic regression", () => {
  it("learns which side of a feature is positive", () => {
    const rows = [[0.1], [0.2], [0.3], [0.7], [0.8], [0.9]];
    const model = fitLogistic(rows, [0, 0, 0, 1, 1, 1]);
    expect(predict(model, [0.85])).toBeGreaterThan(0.5);
    expect(predict(model, [0.15])).toBeLessThan(0.5);
  });

  it("weighs both classes equally, however few positives there are", () => {
    const rows = [[0.9], ...Array.from({ length: 50 }, (_, i) => [i / 100])];
    const model = fitLogistic(rows, [1, ...rows.slice(1).map(() => 0)]);
    expect(predict(model, [0.9])).toBeGreaterThan(0.5);
  });

  it("ignores a feature that does not vary", () => {
    const model = fitLogistic(
      [
        [0, 1],
        [1, 1],
      ],
      [0, 1],
    );
    expect(model.weights[1]).toBe(0);
  });
});
