import { describe, expect, it } from "vitest";
import { cosine } from "../../../app/grouping/similarity.js";
import { UseLiteEncoder } from "../../../sdk/local/sentence-encoder.js";

// The one test that loads the shipped model (about 0.3 s, 28 MB from node_modules, no network).
describe("the shipped sentence encoder", () => {
  it("puts a paraphrase closer than unrelated feedback, in unit-length 512-dimension vectors", async () => {
    const [crash, paraphrase, unrelated] = await new UseLiteEncoder().embed([
      "The app crashes every time I open the camera",
      "Opening the camera makes the whole thing close on me",
      "Please add a dark mode for reading at night",
    ]);
    expect(crash).toHaveLength(512);
    expect(cosine(crash!, crash!)).toBeCloseTo(1, 5);
    expect(cosine(crash!, paraphrase!)).toBeGreaterThan(cosine(crash!, unrelated!) + 0.1);
  });
});
