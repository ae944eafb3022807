import { describe, expect, it } from "vitest";
import { codesOf, featuresOf } from "../../../app/grouping/features.js";
import { decideGroups, type GroupMember } from "../../../app/grouping/grouper.js";
import { similarity } from "../../../app/grouping/similarity.js";

/** Two items with the same embedding: only the structured signals tell them apart. */
const same = new Float32Array([1, 0, 0]);
const item = (text: string, vector = same) => ({ vector, features: featuresOf(text) });

describe("similarity beside the embedding", () => {
  it("gates the same symptom in another component (camera vs settings), however close the embeddings", () => {
    const s = similarity(
      item("The app crashes when I open the camera"),
      item("The app crashes when I open the settings"),
    );
    expect(s.gated).toBe(true);
    expect(s.score).toBeLessThan(0.8);
  });

  it("gates reports with different error codes", () => {
    expect(similarity(item("Restore fails with error E-1042"), item("Restore fails with error E-2210")).gated).toBe(
      true,
    );
  });

  it("lifts paraphrases that name the same component", () => {
    const a = item("Camera crashes when I take a photo");
    const s = similarity(a, item("Taking a picture with the camera closes the app"));
    expect(s.gated).toBe(false);
    expect(s.score).toBeGreaterThan(1);
  });

  it("reads error codes and quoted error messages", () => {
    expect([...codesOf(`Checkout says "payment declined, try again" with error 503`)].sort()).toEqual([
      '"payment declined try again"',
      "503",
    ]);
  });
});

describe("online grouping decisions", () => {
  const member = (ticketId: string, text: string, scope = "app\u0000Bug", vector = same): GroupMember => ({
    ticketId,
    scope,
    ...item(text, vector),
  });
  const thresholds = { joinThreshold: 0.9, suggestThreshold: 0.7 };

  it("joins above the threshold, suggests in the grey zone, keeps its own ticket below", () => {
    const decisions = decideGroups(
      [
        member("b", "Camera crashes when I take a photo"),
        member("c", "Camera freezes when I take a photo", "app\u0000Bug", new Float32Array([0.8, 0.6, 0])),
        member("d", "Sync is slow", "app\u0000Bug", new Float32Array([0, 1, 0])),
      ],
      [member("a", "Camera crashes when I take a photo")],
      thresholds,
    );
    expect(decisions.map((d) => d.kind)).toEqual(["join", "suggest", "own"]);
  });

  it("compares only within a scope (app and category)", () => {
    const decisions = decideGroups(
      [member("b", "Camera crashes", "other-app\u0000Bug")],
      [member("a", "Camera crashes")],
      thresholds,
    );
    expect(decisions).toEqual([{ kind: "own", ticketId: "b" }]);
  });
});
