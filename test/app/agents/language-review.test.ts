import { describe, expect, it } from "vitest";
import { FOREIGN_CONFIDENCE_CAP } from "../../../app/agents/offline/crew.js";
import { loadMultilingual } from "../../../app/agents/offline/language-eval.js";
import { review, triage } from "./factories.js";

describe("offline crew: feedback it cannot read", () => {
  it("sends the German crash report to needs_review, naming German, with low confidence", async () => {
    const result = await triage(review("Die App stürzt seit dem letzten Update jedes Mal beim Öffnen ab", 1));
    expect(result.status).toBe("needs_review");
    expect(result.language).toBe("de");
    expect(result.reviewReasons[0]).toBe("written in German: the offline crew reads English only");
    expect(result.confidence).toBeLessThanOrEqual(FOREIGN_CONFIDENCE_CAP);
  });

  it("leaves no review of the 13-language fixture open", async () => {
    for (const item of loadMultilingual()) {
      const result = await triage(review(item.text, null, { sourceId: item.id }));
      expect([item.id, result.status]).toEqual([item.id, "needs_review"]);
    }
  });

  it("claims at most 0.3 confidence for a review of the fixture in a detected language other than English", async () => {
    for (const item of loadMultilingual()) {
      const result = await triage(review(item.text, null, { sourceId: item.id }));
      if (result.language && result.language !== "en")
        expect({ id: item.id, capped: result.confidence <= FOREIGN_CONFIDENCE_CAP }).toEqual({
          id: item.id,
          capped: true,
        });
    }
  });

  it("records English as en and gives it no language reason", async () => {
    const result = await triage(review("The app crashes every time I open the camera on my Pixel 7.", 1));
    expect(result.language).toBe("en");
    expect(result.reviewReasons.join(" ")).not.toMatch(/English only/);
  });

  it("records no language for a review without words", async () => {
    expect((await triage(review("!!!", 5))).language).toBeNull();
  });
});
