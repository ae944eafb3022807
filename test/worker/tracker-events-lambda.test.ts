import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { secretResolver } from "../../app/integrations/secrets.js";
import { memoryLog } from "../../sdk/log.js";
import { insertTickets } from "../../sdk/store/ticket-writer.js";
import { createTrackerEventsLambda, type TrackerEventsEvent } from "../../worker/handlers/tracker-events-lambda.js";
import { openTestBackend, type TestBackend } from "../support/backend.js";
import { makeNewTicket } from "../support/factories.js";
import { makeDestination } from "../support/integration-factories.js";

const HOOK_SECRET = "tracker-hook-secret";
const closedBody = JSON.stringify({ action: "closed", issue: { number: 42, state: "closed" } });
const signature = (body: string, secret = HOOK_SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** What API Gateway's REST API hands the Lambda for POST /integrations/github/events (payload 1.0). */
const restEvent = (body: string, headers: Record<string, string>, base64 = false): TrackerEventsEvent => ({
  path: "/integrations/github/events",
  pathParameters: { destination: "github" },
  headers: { "Content-Type": "application/json", "X-GitHub-Event": "issues", ...headers },
  body: base64 ? Buffer.from(body).toString("base64") : body,
  isBase64Encoded: base64,
  requestContext: { requestId: "req-1" },
});

describe("tracker events Lambda (two-way status sync on AWS)", () => {
  let t: TestBackend;
  let ticketId: string;
  const log = memoryLog();
  beforeEach(async () => {
    t = await openTestBackend();
    const ticket = makeNewTicket({ status: "open" });
    ticketId = ticket.id;
    await insertTickets(t.db.sql, [ticket]);
    await t.backend.integrations.saveDestination(
      makeDestination({
        name: "github",
        kind: "github",
        secretRef: "env:TOKEN",
        settings: { repository: "acme/notes", webhookSecretRef: "env:HOOK_SECRET" },
      }),
    );
    await t.backend.integrations.saveLink({
      destination: "github",
      ticketId,
      externalId: "42",
      externalKey: "#42",
      url: "https://github.com/acme/notes/issues/42",
      externalState: "open",
    });
  });
  afterEach(() => t.close());
  const lambda = () =>
    createTrackerEventsLambda(async () => ({ backend: t.backend, secrets: secretResolver({ HOOK_SECRET }), log }));

  it("closes the linked ticket on a signed GitHub close, the sender's header casing notwithstanding", async () => {
    const result = await lambda()(restEvent(closedBody, { "X-Hub-Signature-256": signature(closedBody) }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ result: "closed", ticketId });
    expect((await t.backend.tickets.get(ticketId))?.status).toBe("closed");
  });

  it("verifies the signature on the raw body when API Gateway hands it over base64-encoded", async () => {
    const result = await lambda()(restEvent(closedBody, { "x-hub-signature-256": signature(closedBody) }, true));
    expect(result.statusCode).toBe(200);
    expect((await t.backend.tickets.get(ticketId))?.status).toBe("closed");
  });

  it("answers 401 to a bad signature and leaves the ticket open", async () => {
    const forged = signature(closedBody, "not-the-secret");
    const result = await lambda()(restEvent(closedBody, { "X-Hub-Signature-256": forged }));
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ error: "bad_signature" });
    expect((await t.backend.tickets.get(ticketId))?.status).toBe("open");
  });

  it("answers 500 when the backend cannot be opened, so the tracker retries, and opens it again next time", async () => {
    let attempts = 0;
    const handler = createTrackerEventsLambda(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("database unreachable");
      return { backend: t.backend, secrets: secretResolver({ HOOK_SECRET }), log };
    });
    const event = restEvent(closedBody, { "X-Hub-Signature-256": signature(closedBody) });
    expect((await handler(event)).statusCode).toBe(500);
    expect((await handler(event)).statusCode).toBe(200);
  });
});
