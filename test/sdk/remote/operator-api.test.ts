import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeTicket, listTickets, showTicket } from "../../../app/tickets/tickets-service.js";
import type { Backend } from "../../../sdk/backend.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { AccessDeniedError, ConfigurationError, ConflictError, ValidationError } from "../../../sdk/errors.js";
import { memoryLog } from "../../../sdk/log.js";
import { openBackend } from "../../../sdk/open-backend.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { createTicketsLambda } from "../../../worker/handlers/tickets-lambda.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

import { CALLER_ARN, OPERATOR, REGION, startFakeApiGateway } from "../../support/fake-api-gateway.js";

describe("operator access: the CLI's tickets through the IAM-signed operator API", () => {
  let fixture: TestBackend;
  let gateway: Awaited<ReturnType<typeof startFakeApiGateway>>;
  let remote: Backend;
  const log = memoryLog();
  const tickets = [
    makeNewTicket({
      title: "[BUG] Checkout freezes on Safari",
      priority: "Critical",
      item: makeItem({ sourceId: "op-1" }),
    }),
    makeNewTicket({ title: "[BUG] Avatar upload fails", priority: "Low", item: makeItem({ sourceId: "op-2" }) }),
  ];

  const remoteBackend = (url: string, credentials = OPERATOR) =>
    import("../../../sdk/remote/backend.js").then(({ openOperatorBackend }) =>
      openOperatorBackend({
        config: loadRuntimeConfig({ FEEDBACK_BACKEND: "aws", AWS_REGION: REGION, FEEDBACK_OPERATOR_API_URL: url }),
        credentials,
      }),
    );

  beforeAll(async () => {
    fixture = await openTestBackend();
    await insertTickets(fixture.db.sql, tickets);
    gateway = await startFakeApiGateway(createTicketsLambda(async () => ({ backend: fixture.backend, log })));
    remote = await remoteBackend(gateway.url);
  });
  afterAll(async () => {
    await remote?.close();
    await gateway?.close();
    await fixture?.close();
  });

  it("opens the operator backend when the configuration names the API and no database", async () => {
    const opened = await openBackend({
      config: loadRuntimeConfig({
        FEEDBACK_BACKEND: "aws",
        AWS_REGION: REGION,
        FEEDBACK_OPERATOR_API_URL: gateway.url,
      }),
    });
    try {
      expect(opened.description).toContain(`tickets through the operator API http://127.0.0.1:`);
    } finally {
      await opened.close();
    }
  });

  it("lists, finds by id prefix and shows tickets, each request signed and verified", async () => {
    const page = await listTickets(remote, { priority: ["Critical"] });
    expect(page.items.map((t) => t.title)).toEqual(["[BUG] Checkout freezes on Safari"]);
    expect(page.total).toBe(1);
    const shown = await showTicket(remote, tickets[1]!.id.slice(0, 8), "feedback-cli tickets list");
    expect(shown).toMatchObject({ id: tickets[1]!.id, title: "[BUG] Avatar upload fails" });
    expect(await remote.tickets.counts()).toMatchObject({ total: 2, byPriority: { Critical: 1, Low: 1 } });
    const since = new Date(Date.now() - 3_600_000);
    expect((await remote.tickets.list({ since })).total).toBe(2);
    expect(gateway.seen.length).toBeGreaterThan(0);
    expect(gateway.seen.every((s) => s.signed && s.path.startsWith("/v1/tickets/"))).toBe(true);
  });

  it("records a change as made by the signed caller's IAM identity, not by what the client claims", async () => {
    const changed = await changeTicket(
      remote,
      tickets[0]!.id,
      { status: "approved" },
      { actor: "mallory", reason: "verified" },
    );
    expect(changed.status).toBe("approved");
    const history = (await fixture.backend.tickets.get(tickets[0]!.id))!.history;
    expect(history.at(-1)).toMatchObject({ actor: CALLER_ARN, reason: "verified" });
    expect(
      log.entries.find((e) => e.event === "operator.call" && e.fields.operation === "update")?.fields,
    ).toMatchObject({
      caller: CALLER_ARN,
    });
  });

  it("turns the API's answers into the SDK's errors: conflict, validation, and a bad signature as access denied", async () => {
    const stale = changeTicket(remote, tickets[1]!.id, { status: "approved" }, { actor: "x", expectedVersion: 99 });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(remote.tickets.list({ limit: 5000 })).rejects.toBeInstanceOf(ValidationError);

    const impostor = await remoteBackend(gateway.url, { ...OPERATOR, secretAccessKey: "wrong" });
    const denied = await impostor.tickets.list().catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect((denied as AccessDeniedError).message).toMatch(/signature we calculated does not match/);
    expect((denied as AccessDeniedError).hint).toMatch(/execute-api:Invoke/);
    expect((denied as AccessDeniedError).cause).toBeInstanceOf(Error);
    expect(gateway.seen.at(-1)).toMatchObject({ signed: false });
    await impostor.close();
  });

  it("says which ports do not go through the operator API instead of failing to reach the database", async () => {
    expect(() => remote.insights.overview()).toThrow(ConfigurationError);
    expect(() => remote.insights.overview()).toThrow(
      /ticket insights \(overview\) is not reachable through the operator API/,
    );
    await expect(remote.tickets.commitTriaged([])).rejects.toThrow(/cannot run through the operator API/);
  });

  it("reads what status shows from the database through the API: usage, routing, grouping and configuration", async () => {
    expect(await remote.insights.modelUsage()).toEqual(await fixture.backend.insights.modelUsage());
    expect(await remote.insights.crewRouting()).toEqual(await fixture.backend.insights.crewRouting());
    const { lagSeconds: _lag, ...grouping } = await fixture.backend.grouping.status();
    expect(await remote.grouping.status()).toMatchObject(grouping); // the lag grows meanwhile
    expect(await remote.configuration.load()).toEqual(await fixture.backend.configuration.load());
    expect(gateway.seen.slice(-4).every((s) => s.signed)).toBe(true);
    expect(() => remote.configuration.update({}, "operator")).toThrow(ConfigurationError);
  });
});
