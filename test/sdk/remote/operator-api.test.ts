import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeTicket, listTickets, showTicket } from "../../../app/tickets/tickets-service.js";
import type { Backend } from "../../../sdk/backend.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { AccessDeniedError, ConfigurationError, ConflictError, ValidationError } from "../../../sdk/errors.js";
import { memoryLog } from "../../../sdk/log.js";
import { openBackend } from "../../../sdk/open-backend.js";
import { executeApiSigner } from "../../../sdk/remote/sigv4.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { createTicketsLambda } from "../../../worker/handlers/tickets-lambda.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

const REGION = "eu-west-1";
const OPERATOR = { accessKeyId: "AKIAOPERATOR", secretAccessKey: "operator-secret" };
const CALLER_ARN = "arn:aws:iam::123456789012:user/ops-alice";

/**
 * Stands in for API Gateway with the AWS_IAM authorizer: recomputes each request's SigV4 signature with the same
 * library and the operator's secret (403 as API Gateway answers when it does not match), then hands the request to
 * the tickets Lambda as an HTTP API 2.0 event carrying the caller's IAM ARN.
 */
async function startFakeApiGateway(handler: ReturnType<typeof createTicketsLambda>) {
  const verifier = executeApiSigner(REGION, OPERATOR);
  const seen: { path: string; signed: boolean }[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const signed = await signatureMatches(verifier, req, body);
    seen.push({ path: req.url ?? "", signed });
    if (!signed) {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ message: "The request signature we calculated does not match the signature you provided." }),
      );
      return;
    }
    const operation = (req.url ?? "").split("?")[0]!.replace(/^\/v1\/tickets\//, "");
    const answer = await handler({
      rawPath: req.url,
      pathParameters: { operation },
      requestContext: { http: { method: req.method }, authorizer: { iam: { userArn: CALLER_ARN } } },
      body,
    });
    res.writeHead(answer.statusCode, answer.headers);
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

/** API Gateway's check: the signature over the headers the client says it signed, at the time it says. */
async function signatureMatches(
  verifier: ReturnType<typeof executeApiSigner>,
  req: IncomingMessage,
  body: string,
): Promise<boolean> {
  const authorization = req.headers.authorization ?? "";
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  if (!signedHeaders.includes("host") || !/^\d{8}T\d{6}Z$/.test(amzDate)) return false;
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(req.headers[name] ?? "")]));
  const [host, port] = (req.headers.host ?? "").split(":");
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const expected = await verifier.sign(
    {
      method: req.method ?? "POST",
      protocol: "http:",
      hostname: host!,
      port: port ? Number(port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    {
      signingDate: new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      ),
    },
  );
  return expected.headers.authorization === authorization;
}

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
});
