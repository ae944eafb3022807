import { describe, expect, it } from "vitest";
import { email, review, triage } from "./factories.js";

const categoryOf = async (text: string, rating: number | null = null) => (await triage(review(text, rating))).category;

describe("offline classifier: negation", () => {
  it.each([
    ["No crash since the update, thank you!", 5],
    ["Never had a problem with it, works great.", 5],
    ["Not a single bug in two years of daily use.", 5],
    ["Haven't had any issues since I installed it.", 4],
    ["Finally an app that doesn't crash!", 5],
    ["Thanks for fixing the login bug so quickly, everything works now.", 5],
  ])("treats negated or resolved problems as praise: %s", async (text, rating) => {
    expect(await categoryOf(text, rating)).toBe("Praise");
  });

  it("still sees the bug after 'never had a problem until'", async () => {
    expect(await categoryOf("Never had a problem until version 8.1 - now the map won't load at all.", 3)).toBe("Bug");
  });

  it("does not count a negated crash as a feature problem when the author asks for a feature", async () => {
    expect(await categoryOf("I like it, no crashes so far, but it really needs an export to CSV.", 4)).toBe(
      "Feature Request",
    );
  });
});

describe("offline classifier: sarcasm", () => {
  it("reads 'great, another crash' as a bug", async () => {
    expect(await categoryOf("Great, another update and another crash. Thanks for nothing.", 1)).toBe("Bug");
  });

  it("reads 'thanks for nothing' as a complaint", async () => {
    expect(await categoryOf("Thanks for nothing. Three emails and still no answer about my account.", 1)).toBe(
      "Complaint",
    );
  });

  it("reads praise marked /s as a complaint", async () => {
    expect(await categoryOf("Great, now every feature is behind a paywall. /s", 1)).toBe("Complaint");
  });

  it("reads 'I love how it crashes' as a bug, not praise", async () => {
    expect(await categoryOf("I love how it crashes every time I try to pay. Brilliant.", 1)).toBe("Bug");
  });
});

describe("offline classifier: mixed feedback", () => {
  it("praise plus a bug is a bug", async () => {
    expect(
      await categoryOf("Love this app, best app ever, but since the update it freezes when I upload a photo.", 5),
    ).toBe("Bug");
  });

  it("five stars but crashes is a bug", async () => {
    expect(await categoryOf("5 stars but it crashes constantly on my Pixel 7", 5)).toBe("Bug");
  });

  it("praise plus a feature request is a feature request", async () => {
    expect(await categoryOf("Awesome app, I use it every day! Please add widgets for the home screen.", 5)).toBe(
      "Feature Request",
    );
  });

  it("a refund demand outweighs the malfunction that caused it", async () => {
    expect(await categoryOf("Sync hasn't worked for 3 weeks. Waste of money. I want a refund!", 1)).toBe("Complaint");
  });

  it("uses the e-mail subject as a strong signal", async () => {
    const item = email(
      "Feature request: Outlook integration",
      "Hi, many of our members would like this. Thanks for considering it.",
    );
    expect((await triage(item)).category).toBe("Feature Request");
  });
});

describe("offline classifier: spam kinds", () => {
  it.each([
    ["links", "Visit www.best-deals-now.example for amazing prices"],
    ["money offers", "Earn $500 a day from home, no experience needed"],
    ["click here", "CLICK HERE to claim your reward before it expires"],
    ["crypto", "Invest in bitcoin now and double your money in 30 days"],
    ["all-caps shouting with offers", "BEST DEALS EVER BUY NOW LIMITED OFFER"],
    ["repeated characters", "Freeeeeee coins generator!!!!!! no survey!!!!!!"],
    ["promo codes", "Use promo code SAVE50 for 50% off everything"],
    ["follower offers", "Get 10000 real followers instantly, DM me"],
    ["gibberish", "asdfghjkl qwerty zxcvbnm"],
  ])("detects %s", async (_kind, text) => {
    expect(await categoryOf(text, 5)).toBe("Spam");
  });

  it("does not call an enthusiastic review with repeated characters spam", async () => {
    expect(await categoryOf("soooooo good!!!!!! my favourite app", 5)).toBe("Praise");
  });

  it("does not call an all-caps bug report spam", async () => {
    expect(await categoryOf("THIS APP KEEPS CRASHING EVERY TIME I OPEN IT", 1)).toBe("Bug");
  });
});

describe("offline classifier: praise and short reviews", () => {
  it.each([
    ["Great app!!", 5, "Praise"],
    ["Love it", 5, "Praise"],
    ["Doesn't load anymore", 1, "Bug"],
    ["keeps logging me out", 2, "Bug"],
    ["can't sync", 2, "Bug"],
    ["Stopped working after update", 1, "Bug"],
    ["Please add widgets", 4, "Feature Request"],
    ["Ads are too much", 2, "Complaint"],
    ["Worst customer service", 1, "Complaint"],
  ] as const)("classifies %j as %s", async (text, rating, expected) => {
    expect(await categoryOf(text, rating)).toBe(expected);
  });
});

describe("offline classifier: request and malfunction forms of real reviews", () => {
  const classifierOf = async (text: string) => {
    const result = await triage(review(text, null));
    const log = result.logs.find((l) => l.agent === "classifier");
    return { category: result.category, signals: (log?.result.signals ?? []) as string[] };
  };

  it.each([
    ["Dark theme please!!", "feature:please-tail"],
    ["Why not add a way to pin favourite chats?", "feature:why-not-add"],
    ["Hope they will add folders in the next version.", "feature:hope-it-can"],
    ["The map view could be improved a lot.", "feature:could-be-improved"],
    ["I just want to export my workouts to a spreadsheet.", "feature:want-to-do"],
    ["If there was a way to mute one group it would be ideal.", "feature:if-there-were-a-way"],
    ["Make it compatible with older tablets.", "feature:make-it-compatible"],
  ])("reads a request the rules can name: %s", async (text, signal) => {
    const { category, signals } = await classifierOf(text);
    expect(category).toBe("Feature Request");
    expect(signals).toContain(signal);
  });

  it.each([
    ["I can't log into my account on the tablet anymore.", "bug:does-not-work"],
    ["The latest version deleted everything in my garden planner.", "bug:deleted-data"],
    ["Won't let you upload a receipt from the gallery.", "bug:does-not-work"],
    ["Stalls every time I open a playlist.", "bug:hang"],
    ["Nice app, but the last update messed up the reminders.", "bug:named-fault"],
    ["Keeps having a login problem on the watch.", "bug:named-fault"],
    ["Latest version can no longer be opened on my tablet.", "bug:cannot-passive"],
  ])("reads a malfunction the rules can name: %s", async (text, signal) => {
    const { category, signals } = await classifierOf(text);
    expect(category).toBe("Bug");
    expect(signals).toContain(signal);
  });

  it("does not read 'when I want to …' as a wish", async () => {
    expect(await categoryOf("When I want to share a recipe it jumps out of the app.")).toBe("Bug");
  });

  it("keeps 'fix this please' a bug, not a request", async () => {
    expect(await categoryOf("The sync is broken again, fix this please!")).toBe("Bug");
  });

  it("does not call a review of a social app that mentions followers spam", async () => {
    expect(await categoryOf("I hate that my followers' names don't show up in the mentions list.")).not.toBe("Spam");
  });
});
