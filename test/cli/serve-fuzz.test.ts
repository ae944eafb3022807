import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { genericBody, intercomBody, SECRETS, signedHeaders, zendeskBody } from "../app/webhooks/webhook-fixtures.js";
import { type RunningCli, startCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase, testBackend } from "../support/database.js";

/**
 * A bounded fuzz of the real local webhook server (`feedback-cli serve`) over loopback: malformed deliveries,
 * most of them correctly signed so they get past the signature check, must all be answered 4xx (the sender's
 * fault, not retried), never 5xx, and the server must still accept a valid delivery afterwards. Seeded, so a
 * failure names the seed and the case number that reproduce it (FUZZ_SEED=<n> to try another seed).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const CASES = 500;

type Channel = "zendesk" | "intercom" | "generic";
const CHANNELS: readonly Channel[] = ["zendesk", "intercom", "generic"];

/** mulberry32: a small seeded PRNG, enough to make the cases reproducible. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => values[int(0, values.length - 1)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof prng>;

interface FuzzCase {
  kind: string;
  channel: Channel;
  body: Buffer;
  /** Sign the body with the channel's secret (default true): the fault must be found after the signature. */
  signed?: boolean;
  contentType?: string;
  headers?: Record<string, string>;
}

const validBody = (random: Random, channel: Channel, id: string): Record<string, unknown> =>
  JSON.parse(
    channel === "zendesk"
      ? zendeskBody(random.int(1, 1e6))
      : channel === "intercom"
        ? intercomBody(String(random.int(1, 1e6)))
        : genericBody(id),
  ) as Record<string, unknown>;

/** The object that holds the fields a sender's text lives in (ticket, conversation source, or the body). */
function textHolder(channel: Channel, body: Record<string, unknown>): Record<string, unknown> {
  if (channel === "zendesk") return body.ticket as Record<string, unknown>;
  if (channel === "intercom")
    return ((body.data as Record<string, unknown>).item as Record<string, Record<string, unknown>>).source!;
  return body;
}
const TEXT_FIELD: Record<Channel, string> = { zendesk: "description", intercom: "body", generic: "text" };
const ID_HOLDER = (channel: Channel, body: Record<string, unknown>) =>
  channel === "zendesk"
    ? (body.ticket as Record<string, unknown>)
    : channel === "intercom"
      ? ((body.data as Record<string, unknown>).item as Record<string, unknown>)
      : body;

const nested = (levels: number, open: "{" | "[") =>
  open === "{" ? `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}` : `${"[".repeat(levels)}1${"]".repeat(levels)}`;
/** Never a valid value for an id or a text: an object, an array, a boolean. */
const WRONG_TYPES = [{ nested: true }, [1, 2], true, false, [{}]];
const BAD_CHARACTERS = ["\\u0000", "\\ud800", "\\udfff", "a\\u0000b", "\\ud83d", "x\\udc00y", "\\u0000\\u0000"];

/** Each generator makes a delivery that is wrong in one way; the comment says how. */
const GENERATORS: Array<(random: Random, n: number) => FuzzCase> = [
  // Random bytes, signed: starts with a byte that is never UTF-8, so it is not JSON either.
  (random) => {
    const bytes = Buffer.alloc(random.int(1, 4096));
    for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(0, 255);
    bytes[0] = 0xff;
    return { kind: "random-bytes", channel: random.pick(CHANNELS), body: bytes };
  },
  // Random bytes, unsigned (401).
  (random) => {
    const bytes = Buffer.alloc(random.int(0, 2048));
    for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(0, 255);
    return { kind: "random-bytes-unsigned", channel: random.pick(CHANNELS), body: bytes, signed: false };
  },
  // A valid delivery cut short: a prefix of a JSON object is never JSON.
  (random, n) => {
    const channel = random.pick(CHANNELS);
    const full = JSON.stringify(validBody(random, channel, `fz-trunc-${n}`));
    return { kind: "truncated", channel, body: Buffer.from(full.slice(0, random.int(0, full.length - 1))) };
  },
  // The id or the text of a wrong type.
  (random, n) => {
    const channel = random.pick(CHANNELS);
    const body = validBody(random, channel, `fz-type-${n}`);
    if (random.next() < 0.5) ID_HOLDER(channel, body).id = random.pick(WRONG_TYPES);
    else textHolder(channel, body)[TEXT_FIELD[channel]] = random.pick([42, ...WRONG_TYPES]);
    return { kind: "wrong-type", channel, body: Buffer.from(JSON.stringify(body)) };
  },
  // A top-level value that is not an object.
  (random) => ({
    kind: "not-an-object",
    channel: random.pick(CHANNELS),
    body: Buffer.from(random.pick(["null", "1", '"text"', "[]", "true", "[{}]", "{}"])),
  }),
  // Nesting past 32 levels (up to where the body reaches its size limit), in an ignored or a stored field.
  (random, n) => {
    const channel = random.pick(CHANNELS);
    const body = validBody(random, channel, `fz-deep-${n}`);
    const field = channel === "generic" ? "metadata" : "via";
    const holder = channel === "generic" ? body : ID_HOLDER(channel, body);
    holder[field] = "@DEEP@";
    const deep = nested(random.pick([33, 64, 1_000, 5_000, 40_000]), random.pick(["{", "["] as const));
    const json = JSON.stringify(body).replace('"@DEEP@"', channel === "generic" ? `{"d":${deep}}` : deep);
    return { kind: "deep", channel, body: Buffer.from(json) };
  },
  // Only brackets: deep and not JSON.
  (random) => ({
    kind: "brackets",
    channel: random.pick(CHANNELS),
    body: Buffer.from(random.pick(["[", "{", '{"a":['] as const).repeat(random.int(33, 50_000))),
  }),
  // NUL or a lone surrogate, as JSON escapes, in the text, the subject or a metadata key.
  (random, n) => {
    const channel = random.pick(CHANNELS);
    const body = validBody(random, channel, `fz-char-${n}`);
    const bad = `@BAD${n}@`;
    const holder = textHolder(channel, body);
    const where = random.int(0, 2);
    if (where === 0) holder[TEXT_FIELD[channel]] = `Crash ${bad} on login`;
    else if (where === 1) ID_HOLDER(channel, body).id = `id-${bad}`;
    else if (channel === "generic") body.metadata = { [`k${bad}`]: 1 };
    else holder.subject = bad;
    const json = JSON.stringify(body).replace(bad, random.pick(BAD_CHARACTERS));
    return { kind: "bad-character", channel, body: Buffer.from(json) };
  },
  // Text longer than an item may hold, or a body over the size limit (413).
  (random, n) => {
    const channel = random.pick(CHANNELS);
    const body = validBody(random, channel, `fz-huge-${n}`);
    const over = random.next() < 0.5;
    textHolder(channel, body)[TEXT_FIELD[channel]] = "x".repeat(over ? 300_000 : random.int(20_001, 60_000));
    return { kind: over ? "too-large" : "text-too-long", channel, body: Buffer.from(JSON.stringify(body)) };
  },
  // HTML nested far deeper than any e-mail (it used to overflow the stack turning it into text).
  (random, n) => {
    const channel = random.pick(["zendesk", "intercom"] as const);
    const body = validBody(random, channel, `fz-html-${n}`);
    textHolder(channel, body)[TEXT_FIELD[channel]] = `${"<div><b>".repeat(random.int(5_000, 15_000))}x`;
    return { kind: "deep-html", channel, body: Buffer.from(JSON.stringify(body)) };
  },
  // A wrong content type over a body that is wrong too (the content type alone is not checked).
  (random, n) => {
    const channel = random.pick(CHANNELS);
    const full = JSON.stringify(validBody(random, channel, `fz-ctype-${n}`));
    return {
      kind: "content-type",
      channel,
      body: Buffer.from(full.slice(0, random.int(1, full.length - 1))),
      contentType: random.pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "image/png"]),
    };
  },
  // A dates and ratings out of range, unknown generic fields.
  (random, n) => {
    const body = JSON.parse(genericBody(`fz-field-${n}`)) as Record<string, unknown>;
    const change = random.int(0, 2);
    if (change === 0) body.submittedAt = random.pick(["yesterday", "2026-13-45", 1e300, "\u00e9t\u00e9"]);
    else if (change === 1) body.rating = random.pick([0, 6, 2.5, -1, 1e9]);
    else body[random.pick(["unknown", "extra", "__proto__x"])] = 1;
    return { kind: "bad-field", channel: "generic", body: Buffer.from(JSON.stringify(body)) };
  },
  // A delivery id header that cannot be kept (too long).
  (random, n) => ({
    kind: "long-delivery-id",
    channel: "generic",
    body: Buffer.from(genericBody(`fz-hdr-${n}`)),
    headers: { "x-feedback-delivery": "d".repeat(random.int(201, 4000)) },
  }),
];

describe("feedback-cli serve under malformed deliveries (seeded fuzz)", () => {
  let cwd: string;
  let db: TestDatabase | null = null;
  let server: RunningCli | null = null;
  let base = "";

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-serve-fuzz-"));
    if (testBackend === "postgres") db = await createTestDatabase();
    server = await startCli(["serve", "--port", "0", "--no-worker"], {
      cwd,
      env: {
        ...(db?.url ? { DATABASE_URL: db.url } : {}),
        FEEDBACK_WEBHOOK_SECRET_GENERIC: SECRETS.generic,
        FEEDBACK_WEBHOOK_SECRET_ZENDESK: SECRETS.zendesk,
        FEEDBACK_WEBHOOK_SECRET_INTERCOM: SECRETS.intercom,
        FEEDBACK_LOG_LEVEL: "error",
      },
      ready: /Worker not started/,
    });
    base = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())![1]!;
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    await db?.close();
  });

  it(`answers ${CASES} malformed deliveries with 4xx only, then still accepts a valid one (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const cases = Array.from({ length: CASES }, (_, n) => random.pick(GENERATORS)(random, n));
    const wrong: string[] = [];
    const statuses = new Map<number, number>();
    const send = async (fuzz: FuzzCase, n: number) => {
      const headers: Record<string, string> = {
        "content-type": fuzz.contentType ?? "application/json",
        ...(fuzz.signed === false ? {} : signedHeaders(fuzz.channel, fuzz.body)),
        ...fuzz.headers,
      };
      let status: number;
      try {
        const response = await fetch(`${base}/webhooks/${fuzz.channel}`, {
          method: "POST",
          headers,
          body: new Uint8Array(fuzz.body),
        });
        status = response.status;
        const text = await response.text();
        if (status < 400 || status >= 500)
          wrong.push(`#${n} ${fuzz.kind} ${fuzz.channel}: ${status} ${text.slice(0, 200)}`);
      } catch (error) {
        status = 0;
        wrong.push(`#${n} ${fuzz.kind} ${fuzz.channel}: no answer (${(error as Error).message})`);
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    };
    // A few at a time, as senders do.
    for (let start = 0; start < cases.length; start += 8)
      await Promise.all(cases.slice(start, start + 8).map((fuzz, i) => send(fuzz, start + i)));

    expect(wrong, `seed ${SEED}`).toEqual([]);
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    // The kinds of fault met their own answers, not one catch-all.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 413]));

    const valid = genericBody("fz-valid", { text: "After the fuzz the checkout still works." });
    const accepted = await fetch(`${base}/webhooks/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signedHeaders("generic", valid) },
      body: valid,
    });
    expect(accepted.status).toBe(202);
    expect((await fetch(`${base}/health`)).status).toBe(200);

    server!.child.kill("SIGTERM");
    expect(await server!.exited).toBe(0);
    expect(server!.output()).not.toMatch(/Requests answered: .*\dx5\d\d/);
  }, 60_000);
});
