import { describe, expect, it } from "vitest";
import { email, migrationPriorityRules, review, seededConfig, triage } from "./factories.js";

const priorityOf = async (item: Parameters<typeof triage>[0], config = seededConfig()) => {
  const r = await triage(item, config);
  return `${r.category}/${r.priority}`;
};

describe("priority defaults of the seeded configuration", () => {
  it("keeps the seeded rules in step with the init migration", () => {
    expect(seededConfig().priorityRules).toEqual(migrationPriorityRules());
  });

  it.each([
    ["data loss", "All my notes disappeared after the update. Years of work gone.", 1, "Bug/Critical"],
    ["security", "Someone logged into my account from another country and changed my email.", 1, "Bug/Critical"],
    ["payment", "Payment failed three times and my card was charged anyway.", 1, "Bug/Critical"],
    ["an unusable app", "The app won't open at all since the update.", 1, "Bug/Critical"],
    ["a crash on start", "It crashes on launch, I can't get past the splash screen.", 1, "Bug/Critical"],
    ["a crash", "The app crashes when I open the camera on my iPhone 12.", 2, "Bug/High"],
    ["a major feature broken", "Notifications stopped working completely on Android 14.", 2, "Bug/High"],
    [
      "a workaround",
      "Sometimes the chat doesn't scroll to the newest message, closing and reopening it fixes it.",
      4,
      "Bug/Medium",
    ],
    ["slowness", "Super slow since the last update, menus take 3-4 seconds to open.", 2, "Bug/Medium"],
    ["a cosmetic problem", "Small typo on the settings screen: it says Notifcations.", 4, "Bug/Low"],
  ] as const)("bug with %s", async (_case, text, rating, expected) => {
    expect(await priorityOf(review(text, rating))).toBe(expected);
  });

  it.each([
    ["a plain wish", "Please add widgets", 5, "Feature Request/Low"],
    ["an integration", "Would love to see integration with Google Calendar.", 4, "Feature Request/Medium"],
    ["offline use", "Please add offline mode, I travel a lot.", 4, "Feature Request/Medium"],
    ["sync", "It would be amazing to sync between my phone and my tablet.", 4, "Feature Request/Medium"],
    ["collaboration", "Add real-time collaboration so my whole team can edit together.", 4, "Feature Request/Medium"],
    ["many users asking", "Lots of users have asked for a desktop app, please build one.", 4, "Feature Request/Medium"],
  ] as const)("feature request with %s", async (_case, text, rating, expected) => {
    expect(await priorityOf(review(text, rating))).toBe(expected);
  });

  it.each([
    ["a plain complaint", "Ads are too much", 2, "Complaint/Medium"],
    ["a refund", "I want my money back, premium is nothing special. Refund please.", 1, "Complaint/High"],
    ["a double charge", "I was charged twice this month.", 1, "Complaint/High"],
    ["billing", "Terrible billing practices, the renewal price was hidden.", 1, "Complaint/High"],
    ["praise", "Great app, love it!", 5, "Praise/Low"],
    ["spam", "Click here for free money www.free-cash.example", 5, "Spam/Low"],
  ] as const)("%s", async (_case, text, rating, expected) => {
    expect(await priorityOf(review(text, rating))).toBe(expected);
  });
});

describe("priority follows the configuration", () => {
  const darkMode = review("Please add a dark mode toggle in the settings.", 5);

  it("a new keyword rule changes the result", async () => {
    expect(await priorityOf(darkMode)).toBe("Feature Request/Low");
    const config = seededConfig();
    config.priorityRules.rules.unshift({
      name: "dark-mode",
      category: "Feature Request",
      priority: "High",
      keywords: ["dark mode"],
    });
    expect(await priorityOf(darkMode, config)).toBe("Feature Request/High");
  });

  it("rules are checked in order and the first match wins", async () => {
    const config = seededConfig();
    config.priorityRules.rules.unshift(
      { name: "first", category: "Feature Request", priority: "Critical", keywords: ["toggle"] },
      { name: "second", category: "Feature Request", priority: "High", keywords: ["dark mode"] },
    );
    const r = await triage(darkMode, config);
    expect(r.priority).toBe("Critical");
    expect(JSON.stringify(r.logs)).toContain('"matchedRule":"first"');
  });

  it("a changed category default changes the result", async () => {
    const config = seededConfig();
    config.priorityRules.defaults.Praise = "Medium";
    config.priorityRules.defaults["Feature Request"] = "High";
    expect(await priorityOf(review("Great app, love it!", 5), config)).toBe("Praise/Medium");
    expect(await priorityOf(review("Please add widgets", 5), config)).toBe("Feature Request/High");
  });

  it("matches keywords case-insensitively on whole words only", async () => {
    const config = seededConfig();
    config.priorityRules.rules.unshift({
      name: "api",
      category: "Feature Request",
      priority: "High",
      keywords: ["API"],
    });
    expect(await priorityOf(review("Please add a public api for scripts", 5), config)).toBe("Feature Request/High");
    expect(await priorityOf(review("Please add rapid entry mode", 5), config)).toBe("Feature Request/Low");
  });

  it("ignores negated and hedged keywords", async () => {
    expect(await priorityOf(review("No crash, but the font on the about page is misaligned.", 4))).toBe("Bug/Low");
    const hedged = email(
      "Disappointed with premium",
      "The features don't justify the price and I feel misled. Considering requesting a refund.",
    );
    expect(await priorityOf(hedged)).toBe("Complaint/Medium");
  });
});

describe("stated priority of e-mails", () => {
  it("raises the priority by at most one level above the content", async () => {
    const item = email("Dark mode", "Could you add a dark mode? I often work late.", { statedPriority: "Critical" });
    expect(await priorityOf(item)).toBe("Feature Request/Medium");
  });

  it("never lowers a bug below what its content supports", async () => {
    const item = email(
      "App crashes on startup",
      "Since 4.1.0 the app crashes immediately on startup. Pixel 6, Android 14.",
      { statedPriority: "Low" },
    );
    expect(await priorityOf(item)).toBe("Bug/Critical");
  });

  it("may lower a feature request by one level", async () => {
    const item = email("Suggestion: Toggl integration", "It would be helpful to have integration with Toggl.", {
      statedPriority: "Low",
    });
    expect(await priorityOf(item)).toBe("Feature Request/Low");
  });
});

describe("confidence threshold decides the status", () => {
  const clear = review("The app crashes every time I open the camera. iPhone 12, iOS 16.4, version 2.1.0", 2);

  it("a confident, complete ticket is open under the seeded threshold", async () => {
    const r = await triage(clear);
    expect(r.confidence).toBeGreaterThanOrEqual(0.7);
    expect(r.status).toBe("open");
  });

  it("the same ticket needs review when the threshold is above its confidence", async () => {
    const config = seededConfig();
    config.confidenceThreshold = 0.999;
    const r = await triage(clear, config);
    expect(r.status).toBe("needs_review");
    expect(r.reviewReasons.join(" ")).toMatch(/confidence .* below threshold 0.999/);
  });

  it("an ambiguous item is below 0.7 and needs review, and is open with threshold 0", async () => {
    const vague = review("hmm", 3);
    const r = await triage(vague);
    expect(r.confidence).toBeLessThan(0.7);
    expect(r.status).toBe("needs_review");
    const config = seededConfig();
    config.confidenceThreshold = 0;
    expect((await triage(vague, config)).reviewReasons.join(" ")).not.toMatch(/below threshold/);
  });
});
