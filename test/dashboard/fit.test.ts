import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../sdk/backend.js";
import type { NewTicket } from "../../sdk/ports/tickets.js";
import { openTestBackend, type TestBackend } from "../support/backend.js";
import { repoRoot } from "../support/cli.js";
import { makeDestination } from "../support/integration-factories.js";
import { localDashboardApp, screenshot, seedDeadLetter, seedTickets, type TicketSpec } from "./support.js";

/**
 * The dashboard on a phone and a laptop, light and dark: every main page at 390 px and 1366 px wide in
 * both color schemes (screenshots in test-results/screenshots/fit/, not committed), never wider than the
 * window; then ticking rows for a bulk action, an empty state's clear-filter link and the review queue's
 * keyboard shortcuts, in Debian's Chromium against the dashboard served in-process on a seeded database.
 */
const CHROMIUM = "/usr/bin/chromium";
const SHOTS = path.join(repoRoot, "test-results/screenshots/fit");
const browserMissing = !existsSync(CHROMIUM) && !process.env.CI;
if (browserMissing)
  console.warn(`Skipping the dashboard layout tests: ${CHROMIUM} is missing (apt-get install chromium).`);

const PAGES = [
  ["overview", "/"],
  ["tickets", "/tickets"],
  ["review", "/review"],
  ["merges", "/suggestions"],
  ["configuration", "/configuration"],
  ["analytics", "/analytics"],
  ["quality", "/quality"],
  ["operations", "/operations"],
  ["integrations", "/integrations"],
] as const;

const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

// Twelve tickets waiting for review (none of them Critical), a few open and approved ones, long titles.
const SPECS: TicketSpec[] = [
  ...Array.from(
    { length: 12 },
    (_, i): TicketSpec => ({
      title: `Review ${String(i + 1).padStart(2, "0")}: ${i % 3 === 0 ? "the export to PDF crashes with a very long file name that does not wrap nicely" : "sync stops after the update"}`,
      text: `Review item ${i + 1}: the app misbehaves after updating to 4.2.${i}.`,
      status: "needs_review",
      priority: (["High", "Medium", "Low"] as const)[i % 3],
      category: (["Bug", "Complaint", "Feature Request"] as const)[i % 3],
      confidence: 0.4 + i * 0.01,
      reviewReasons: ["low confidence"],
      sourceId: `REV-${i + 1}`,
      submittedAt: day(12 - i),
      app: i % 2 ? "com.example.notes" : "com.example.a-rather-long-application-identifier",
    }),
  ),
  ...Array.from(
    { length: 6 },
    (_, i): TicketSpec => ({
      title: `Open ${i + 1}: ${i % 2 ? "Praise for the new dark theme" : "Crash on start"}`,
      status: i < 4 ? "open" : "approved",
      priority: (["Critical", "High", "Medium", "Low"] as const)[i % 4],
      category: i % 2 ? "Praise" : "Bug",
      sourceId: `OPEN-${i + 1}`,
      submittedAt: day(20 - i),
    }),
  ),
];

describe.skipIf(browserMissing)("dashboard layout, bulk actions and shortcuts in Chromium", () => {
  let test: TestBackend;
  let backend: Backend;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  let seeded: NewTicket[];
  const problems: string[] = [];

  const goto = async (url: string) => {
    const response = await page.goto(`${base}${url}`);
    expect(response?.status(), url).toBe(200);
  };
  const overflow = () =>
    page.evaluate<{ scroll: number; inner: number }>(
      "({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })",
    );
  const rowIds = async () =>
    Promise.all(
      (await page.locator("table.tickets tbody tr").all()).map(async (r) => (await r.getAttribute("data-ticket-id"))!),
    );
  const idsOf = (prefix: string) => seeded.filter((t) => t.item.sourceId.startsWith(prefix)).map((t) => t.id);

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    test = await openTestBackend();
    backend = test.backend;
    seeded = await seedTickets(test.db.sql, SPECS);
    await seedDeadLetter(test.db.sql, {
      error: "Error: agent timeout after 30 s while classifying a very long e-mail thread",
    });
    await backend.integrations.saveDestination(
      makeDestination({ url: "https://hooks.example.com/a/rather/long/path/for/the/feedback-triage/team-hook" }),
    );
    const app = localDashboardApp(backend);
    server = createAdaptorServer({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }) as Server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error" || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (error) => problems.push(String(error)));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await test?.close();
  });

  it("shows every main page at 390 and 1366 px, light and dark, without horizontal overflow", async () => {
    const detail = idsOf("REV-1")[0]!;
    const wide: string[] = [];
    for (const width of [390, 1366]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        for (const [name, url] of [...PAGES, ["ticket", `/tickets/${detail}`] as const]) {
          await goto(url);
          if (name === "overview" || name === "analytics")
            await expect.poll(() => page.locator("figure.chart.drawn").count()).toBeGreaterThanOrEqual(1);
          await screenshot(page, { path: path.join(SHOTS, `${name}-${width}-${colorScheme}.png`), fullPage: true });
          if (width === 390)
            await screenshot(page, { path: path.join(SHOTS, `${name}-${width}-${colorScheme}-top.png`) });
          const { scroll, inner } = await overflow();
          if (scroll > inner) wide.push(`${name} at ${width} px (${colorScheme}) is ${scroll} px wide`);
        }
      }
    }
    expect(wide).toEqual([]);
    // The color scheme is the system's: dark pages are dark, with light text.
    const colors = async (colorScheme: "light" | "dark") => {
      await page.emulateMedia({ colorScheme });
      return page.evaluate<string[]>(
        "[getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.documentElement).color]",
      );
    };
    expect(await colors("light")).toEqual(["rgb(245, 247, 250)", "rgb(31, 41, 51)"]);
    expect(await colors("dark")).toEqual(["rgb(15, 20, 25)", "rgb(228, 231, 235)"]);
    // On a phone the pages fold behind the Menu button.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "light" });
    await goto("/tickets");
    expect(await page.locator("header.top nav").isVisible()).toBe(false);
    await page.click("header.top .menu-toggle");
    expect(await page.locator("header.top nav a", { hasText: "Review" }).isVisible()).toBe(true);
    const box = await page.locator(".selection-bar button[data-bulk=approve]").boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.setViewportSize({ width: 1366, height: 900 });
  }, 180_000); // 9 pages x 2 widths x 2 schemes, screenshots each: a minute is short on a busy machine

  it("approves several ticked rows with one request and shows each ticket's result", async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await goto("/tickets?status=needs_review&sort=createdAt&order=asc");
    const ids = (await rowIds()).slice(0, 3);
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/tickets/selection")) requests.push(r.postData() ?? "");
    });
    expect(await page.locator(".selection-bar button[data-bulk=approve]").isDisabled()).toBe(true);
    for (const id of ids) await page.check(`tr[data-ticket-id="${id}"] input.select-row`);
    expect(await page.locator(".selection-count").textContent()).toBe("3 selected");
    await page.click(".selection-bar button[data-bulk=approve]");
    await expect.poll(() => page.locator(".bulk-results li.ok").count()).toBe(3);
    expect(await page.locator(".bulk-results p").textContent()).toBe("3 ticket(s) approved.");
    for (const id of ids)
      expect(await page.locator(`tr[data-ticket-id="${id}"] td.status .badge`).textContent()).toBe("approved");
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]!)).toEqual({ action: "approve", ids });
    for (const id of ids) {
      const ticket = await backend.tickets.get(id);
      expect(ticket?.status).toBe("approved");
      expect(ticket?.history).toHaveLength(1);
      expect(ticket?.history[0]).toMatchObject({ actor: "tester@localhost", reason: "bulk approve" });
    }
    await screenshot(page, { path: path.join(SHOTS, "bulk-approved-1366-light.png"), fullPage: true });

    // Select all on the page, then set a priority: every row changes, each with its history.
    await goto("/tickets?source=app_store_review&q=OPEN");
    await page.check("thead input.select-all");
    const all = await page.locator("input.select-row:checked").count();
    expect(all).toBe(6);
    await page.selectOption(".selection-bar select.bulk-priority", "Low");
    await page.click(".selection-bar button[data-bulk=priority]");
    await expect.poll(() => page.locator(".bulk-results li.ok").count()).toBe(6);
    for (const id of idsOf("OPEN-")) {
      const ticket = await backend.tickets.get(id);
      expect(ticket?.priority).toBe("Low");
      if (seeded.find((t) => t.id === id)?.priority !== "Low")
        expect(ticket?.history.at(-1)?.reason).toBe("bulk priority");
    }
  });

  it("names the filters of an empty result and clears one with a click", async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await goto("/review?priority=Critical");
    const empty = page.locator(".empty-state");
    expect(await empty.locator("p").first().textContent()).toBe(
      "No tickets match priority = Critical and status = needs_review.",
    );
    expect(await empty.locator("a").allTextContents()).toEqual(["Clear priority"]);
    await screenshot(page, { path: path.join(SHOTS, "empty-state-1366-light.png"), fullPage: true });
    await Promise.all([page.waitForURL((url) => !url.search.includes("priority")), empty.locator("a").click()]);
    expect(await page.locator("table.tickets tbody tr").count()).toBeGreaterThan(0);

    await goto("/tickets?priority=Critical&status=needs_review");
    expect(await page.locator(".empty-state a").allTextContents()).toEqual([
      "Clear priority",
      "Clear status",
      "Clear all filters",
    ]);
    await Promise.all([
      page.waitForURL(/\/tickets\?status=needs_review$/),
      page.click(".empty-state a[data-clear=priority]"),
    ]);
    expect(await page.locator("table.tickets tbody tr").count()).toBeGreaterThan(0);
  });

  it("moves, selects, approves and rejects with the review queue's shortcuts, not while typing", async () => {
    await goto("/review");
    const ids = await rowIds();
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const current = () => page.locator("table.tickets tbody tr.current").getAttribute("data-ticket-id");

    await page.keyboard.press("j");
    expect(await current()).toBe(ids[0]);
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    expect(await current()).toBe(ids[2]);
    await page.keyboard.press("k");
    expect(await current()).toBe(ids[1]);
    await page.keyboard.press("x");
    expect(await page.locator(`tr[data-ticket-id="${ids[1]}"] input.select-row`).isChecked()).toBe(true);
    expect(await page.locator(".selection-count").textContent()).toBe("1 selected");
    await page.keyboard.press("x");
    expect(await page.locator(".selection-count").textContent()).toBe("0 selected");

    await page.keyboard.press("a");
    await expect.poll(async () => (await backend.tickets.get(ids[1]!))?.status).toBe("approved");
    await expect.poll(current).toBe(ids[2]);
    await page.keyboard.press("r");
    await expect.poll(async () => (await backend.tickets.get(ids[2]!))?.status).toBe("rejected");
    expect(await page.locator(`tr[data-ticket-id="${ids[2]}"] td.status .badge`).textContent()).toBe("rejected");
    expect((await backend.tickets.get(ids[2]!))?.history.at(-1)).toMatchObject({ actor: "tester@localhost" });

    // Typing in the search field moves nothing and changes nothing.
    await expect.poll(current).toBe(ids[3]);
    await page.click("#f-q");
    await page.keyboard.type("jar x?");
    expect(await current()).toBe(ids[3]);
    expect((await backend.tickets.get(ids[3]!))?.status).toBe("needs_review");
    expect(await page.locator("dialog#shortcuts").isVisible()).toBe(false);
    await page.locator("#f-q").blur();

    await page.keyboard.press("?");
    expect(await page.locator("dialog#shortcuts").isVisible()).toBe(true);
    expect(await page.locator("dialog#shortcuts").innerText()).toContain("approve the current ticket");
    await screenshot(page, { path: path.join(SHOTS, "shortcuts-1366-light.png") });
    await page.keyboard.press("Escape");
    expect(await page.locator("dialog#shortcuts").isVisible()).toBe(false);
  });

  it("raised no script error and no Content-Security-Policy violation", () => {
    expect(problems).toEqual([]);
  });
});
