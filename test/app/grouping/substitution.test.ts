import { describe, expect, it } from "vitest";
import { substituted } from "../../../app/grouping/substitution.js";
import { withWords } from "../../support/word-vectors.js";

/** "pics" and "photos" close (cosine 0.8), every other pair of distinct words far apart. */
const synonyms = { pics: [0.8, 0.6], photos: [1, 0] };

describe("the generic swap gate (same template, another thing)", () => {
  it("blocks two reports on one template whose differing words are far apart (camera vs settings)", () => {
    expect(
      substituted(
        withWords("The app crashes when I open the camera"),
        withWords("The app crashes when I open the settings"),
      ),
    ).toBe(true);
  });

  it("lets a synonym through: the differing words are close (pics vs photos)", () => {
    expect(
      substituted(
        withWords("The app crashes when I upload my pics", synonyms),
        withWords("The app crashes when I upload my photos", synonyms),
      ),
    ).toBe(false);
  });

  it("lets a report that only adds words through (nothing was swapped)", () => {
    expect(
      substituted(
        withWords("The app crashes when I open the camera"),
        withWords("The app crashes when I open the camera, annoying"),
      ),
    ).toBe(false);
  });

  it("blocks one template stating other numbers", () => {
    expect(
      substituted(
        withWords("Battery drops 40% in an hour since update"),
        withWords("Battery drops 4% in an hour since update"),
      ),
    ).toBe(true);
  });

  it("leaves reports that share few words to the other signals", () => {
    expect(
      substituted(withWords("Camera crashes instantly"), withWords("Opening settings closes everything on my phone")),
    ).toBe(false);
  });
});
