import { describe, expect, it } from "vitest";
import { featuresOf } from "../../../app/grouping/features.js";
import { withSwapGate } from "../../../app/grouping/scorers.js";
import { lexiconFreeSimilarity } from "../../../app/grouping/similarity.js";
import { withWords } from "../../support/word-vectors.js";

const gated = withSwapGate(lexiconFreeSimilarity);

describe("scorers with the swap gate", () => {
  it("gate a swap on one template that the lexicon-free signals alone would join", () => {
    const a = withWords("The app crashes when I open the camera");
    const b = withWords("The app crashes when I open the settings");
    expect(lexiconFreeSimilarity(a, b).gated).toBe(false);
    expect(gated(a, b).gated).toBe(true);
  });

  it("leave a pair without word vectors as the scorer says", () => {
    const plain = (text: string) => ({ vector: new Float32Array([1, 0]), features: featuresOf(text) });
    const a = plain("The app crashes when I open the camera");
    const b = plain("The app crashes when I open the settings");
    expect(gated(a, b)).toEqual(lexiconFreeSimilarity(a, b));
  });
});
