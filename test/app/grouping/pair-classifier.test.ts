import { describe, expect, it } from "vitest";
import { scopeKey } from "../../../app/grouping/grouper.js";
import {
  classifierSimilarity,
  type LabelledMember,
  trainingPairs,
  trainPairClassifier,
} from "../../../app/grouping/pair-classifier.js";
import { PAIR_FEATURES, pairFeatures } from "../../../app/grouping/pair-features.js";
import { withWords } from "../../support/word-vectors.js";

const scope = scopeKey("app", "Bug");
const member = (ticketId: string, problem: string, text: string, vector = [1, 0]): LabelledMember => ({
  ...withWords(text),
  vector: Float32Array.from(vector.map((x) => x / Math.hypot(...vector))),
  ticketId,
  problem,
  scope,
});

describe("the pair classifier", () => {
  it("trains on the pairs the grouper could confuse: same scope and close embeddings only", () => {
    const items = [
      member("a", "p1", "Camera crashes"),
      member("b", "p1", "Camera closes the app"),
      { ...member("c", "p2", "Camera crashes"), scope: scopeKey("other-app", "Bug") },
      member("d", "p3", "Dark mode please", [0, 1]),
    ];
    expect(trainingPairs(items)).toEqual({ rows: [pairFeatures(items[0]!, items[1]!)], labels: [1] });
  });

  it("scores a pair like the labelled pairs it was fitted on", () => {
    const items = [
      member("a1", "p1", "Export to PDF fails", [1, 0.1]),
      member("a2", "p1", "PDF export is broken", [1, 0.12]),
      member("b1", "p2", "Sync is slow", [1, 0.9]),
      member("b2", "p2", "Syncing takes ages", [1, 0.88]),
    ];
    const score = classifierSimilarity(trainPairClassifier(items));
    expect(score(items[0]!, items[1]!).score).toBeGreaterThan(score(items[0]!, items[2]!).score);
  });

  it("gates reports with different error codes whatever it scores", () => {
    const items = [member("a", "p1", "Restore fails with error E-1042"), member("b", "p1", "Restore fails, E-1042")];
    const score = classifierSimilarity(trainPairClassifier([...items, member("c", "p2", "Restore slow")]));
    expect(score(items[0]!, member("d", "p3", "Restore fails with error E-2210")).gated).toBe(true);
  });

  it("refuses a model fitted on other features", () => {
    const model = { means: [0], scales: [1], weights: [1], bias: 0 };
    expect(() => classifierSimilarity({ features: [PAIR_FEATURES[0]], model })).toThrow(/fit it again/);
  });
});
