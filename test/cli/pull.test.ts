import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PullJson, SourcesListJson, SourceTestJson, TicketReplyJson } from "../../cli/output-schemas.js";
import { runCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";
import {
  type AppStoreKey,
  FakeAppStoreConnect,
  makeAppStoreKey,
  makeCustomerReview,
} from "../support/stores/fake-app-store-connect.js";

const APP_ID = "682658836";

describe("feedback-cli sources and pull", () => {
  const workspace = useCliWorkspace("ft-pull-");
  let key: AppStoreKey;
  let store: FakeAppStoreConnect;
  const cli = (...args: string[]) =>
    runCli(args, { cwd: workspace.cwd, env: { ...workspace.env(), ASC_KEY: key.privateKeyPem } });

  beforeAll(async () => {
    key = makeAppStoreKey();
    store = await new FakeAppStoreConnect(APP_ID, key).start();
    store.pageSize = 2;
    store.reviews = Array.from({ length: 3 }, () => makeCustomerReview());
    const added = await cli(
      ...["sources", "add", "notes-ios", "--store", "app-store-connect", "--app", APP_ID],
      ...["--issuer-id", key.issuerId, "--key-id", key.keyId, "--key-env", "ASC_KEY", "--base-url", store.url],
    );
    expect(added.code, added.stderr).toBe(0);
  });
  afterAll(() => store.stop());

  it("lists a source with where its key is read, never the key", async () => {
    const listed = await cli("sources", "list", "--json");

    expect(listed.code, listed.stderr).toBe(0);
    expect(SourcesListJson.parse(JSON.parse(listed.stdout))).toEqual([
      expect.objectContaining({
        name: "notes-ios",
        store: "app-store-connect",
        app: APP_ID,
        credentials: "env ASC_KEY",
      }),
    ]);
    expect(listed.stdout).not.toContain("PRIVATE KEY");
  });

  it("tests a source by reading its newest page", async () => {
    const tested = await cli("sources", "test", "notes-ios", "--json");

    expect(tested.code, tested.stderr).toBe(0);
    expect(SourceTestJson.parse(JSON.parse(tested.stdout))).toMatchObject({ ok: true, reviews: 2 });
  });

  it("refuses a source whose key is named twice or not at all, exit 2", async () => {
    const result = await cli("sources", "add", "x", "--store", "google-play", "--app", "com.acme.x");

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--key-file <path> and --key-env <NAME>/);
  });

  it("pulls every review once; the worker tickets them; a second pull finds nothing new", async () => {
    const first = await cli("pull", "--json");
    const worked = await cli("worker", "--once");
    const second = await cli("pull", "--app", "notes-ios", "--json");

    expect(first.code, first.stderr).toBe(0);
    expect(PullJson.parse(JSON.parse(first.stdout)).totals).toMatchObject({ enqueued: 3, failed: 0 });
    expect(worked.code, worked.stderr).toBe(0);
    expect(PullJson.parse(JSON.parse(second.stdout)).totals).toMatchObject({ enqueued: 0, revised: 0 });
    expect((await workspace.status()).tickets.total).toBe(3);
  });

  it("replies to a pulled review from its ticket and shows the reply in the ticket's history", async () => {
    const review = store.reviews[0]!;
    const listed = JSON.parse((await cli("tickets", "list", "--search", review.id, "--json")).stdout);

    const replied = await cli(
      "tickets",
      "reply",
      listed[0].id.slice(0, 8),
      "--text",
      "Thanks, fixed in 4.2.",
      "--json",
    );

    expect(replied.code, replied.stderr).toBe(0);
    expect(TicketReplyJson.parse(JSON.parse(replied.stdout))).toMatchObject({
      source: "notes-ios",
      reviewId: review.id,
    });
    expect(store.responses).toEqual([{ reviewId: review.id, responseBody: "Thanks, fixed in 4.2." }]);
    const shown = JSON.parse((await cli("tickets", "show", listed[0].id, "--json")).stdout);
    expect(shown.history.at(-1).after.reply.text).toBe("Thanks, fixed in 4.2.");
  });

  it("exits 1 with the store's refusal and what to check when the key is wrong", async () => {
    const result = await runCli(["pull"], {
      cwd: workspace.cwd,
      env: { ...workspace.env(), ASC_KEY: makeAppStoreKey().privateKeyPem },
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/refused the credentials \(HTTP 401\)/);
    expect(result.stdout).toMatch(/issuer id, key id and \.p8 key/);
  });
});
