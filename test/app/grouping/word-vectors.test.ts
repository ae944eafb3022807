import { describe, expect, it } from "vitest";
import { featuresOf } from "../../../app/grouping/features.js";
import { WordVectors } from "../../../app/grouping/word-vectors.js";
import { BagOfWordsEncoder } from "../../support/fake-encoder.js";

describe("word vectors", () => {
  it("embeds each distinct content word once, in one batch per call, and keys the vectors by stem", async () => {
    const encoder = new BagOfWordsEncoder();
    const words = new WordVectors(encoder);
    const [first] = await words.of([featuresOf("Camera crashes"), featuresOf("camera crashing")]);
    await words.of([featuresOf("Camera crashes daily")]);
    expect(encoder.calls).toEqual([3, 1]);
    expect([...first!.keys()].sort()).toEqual(["camera", "crash"]);
  });
});
