/**
 * Load test of `feedback-cli serve` on loopback: N signed webhook requests (default 2,000) from C
 * concurrent clients (default 50), a mix of the generic (60%), Zendesk (20%) and Intercom (20%) formats,
 * each a distinct delivery. Reports requests/s and latency percentiles, then waits for the in-process
 * worker and checks that every accepted request ended as exactly one ticket.
 *
 *   npm run build && node dist/bench/webhooks.js [--requests 2000] [--concurrency 50] [--postgres URL]
 *
 * Bounded: every request times out after 30 s and the whole run after --timeout-s (default 600). Only
 * 127.0.0.1 is ever contacted. Exit code 1 when a request failed or an accepted one has no ticket.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { signGeneric, signIntercom, signZendesk } from "../app/webhooks/webhook-signatures.js";
import { benchArgs, wholeNumber, withUsage } from "./support/bench-args.js";

const USAGE =
  "Usage: node dist/bench/webhooks.js [--requests 2000] [--concurrency 50] [--timeout-s 600] [--postgres postgres://...]";
const values = benchArgs(USAGE, {
  requests: { type: "string", default: "2000" },
  concurrency: { type: "string", default: "50" },
  postgres: { type: "string" },
  "timeout-s": { type: "string", default: "600" },
});
const total = withUsage(USAGE, () => wholeNumber(values.requests, "--requests"));
const concurrency = withUsage(USAGE, () => wholeNumber(values.concurrency, "--concurrency"));
const deadline = Date.now() + withUsage(USAGE, () => wholeNumber(values["timeout-s"], "--timeout-s")) * 1000;
const cliPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../cli/bin.js");
const SECRETS = { generic: "bench-generic-secret", zendesk: "bench-zendesk-secret", intercom: "bench-intercom-secret" };
const TEXTS = [
  "The app crashes every time I open the camera on my Pixel 8 after updating to 3.2.1.",
  "Please add a dark mode, my eyes hurt at night.",
  "Checkout button does nothing on Safari 17, cannot pay for my order.",
  "Love the new design, great job team!",
  "Sync keeps failing with error 502 since this morning, all my notes are gone.",
  "It would be great to export reports as CSV with a date range filter.",
];

interface Planned {
  channel: "generic" | "zendesk" | "intercom";
  sourceId: string;
  body: string;
}

function plan(index: number, run: string): Planned {
  const text = `${TEXTS[index % TEXTS.length]} (report ${run}-${index})`;
  const bucket = index % 5;
  if (bucket === 3) {
    const id = 1_000_000 + index;
    return {
      channel: "zendesk",
      sourceId: `zendesk:${id}`,
      body: JSON.stringify({
        ticket: { id, subject: `Ticket ${index}`, description: text, requester: { email: `user${index}@example.com` } },
      }),
    };
  }
  if (bucket === 4) {
    const id = `conv-${run}-${index}`;
    return {
      channel: "intercom",
      sourceId: `intercom:${id}`,
      body: JSON.stringify({
        type: "notification_event",
        id: `notif_${id}`,
        topic: "conversation.user.created",
        data: {
          item: {
            type: "conversation",
            id,
            source: { body: `<p>${text}</p>`, author: { email: `user${index}@example.com` } },
          },
        },
      }),
    };
  }
  const id = `${run}-${index}`;
  return { channel: "generic", sourceId: `generic:${id}`, body: JSON.stringify({ id, text, platform: "android" }) };
}

function headersFor(p: Planned): Record<string, string> {
  const now = new Date();
  if (p.channel === "zendesk") {
    const ts = now.toISOString();
    return {
      "x-zendesk-webhook-signature": signZendesk(SECRETS.zendesk, ts, p.body),
      "x-zendesk-webhook-signature-timestamp": ts,
    };
  }
  if (p.channel === "intercom") return { "x-hub-signature": signIntercom(SECRETS.intercom, p.body) };
  return { "x-feedback-signature": signGeneric(SECRETS.generic, p.body, Math.floor(now.getTime() / 1000)) };
}

function post(agent: Agent, port: number, p: Planned): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/webhooks/${p.channel}`,
        agent,
        timeout: 30_000,
        headers: { "content-type": "application/json", ...headersFor(p) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(p.body);
  });
}

function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(" ")} exited ${code}`))));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const cwd = await mkdtemp(path.join(tmpdir(), "ft-bench-webhooks-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: "true",
    DATABASE_URL: values.postgres ?? "",
    FEEDBACK_DATA_DIR: path.join(cwd, "data"),
    FEEDBACK_LOG_LEVEL: "warn",
    FEEDBACK_WEBHOOK_SECRET_GENERIC: SECRETS.generic,
    FEEDBACK_WEBHOOK_SECRET_ZENDESK: SECRETS.zendesk,
    FEEDBACK_WEBHOOK_SECRET_INTERCOM: SECRETS.intercom,
  };
  let server: ChildProcess | null = null;
  try {
    server = spawn(process.execPath, [cliPath, "serve", "--port", "0"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk;
        const match = /Listening on http:\/\/127\.0\.0\.1:(\d+)[\s\S]*Worker running/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      server!.stdout!.on("data", onData);
      server!.stderr!.on("data", onData);
      server!.on("close", () => reject(new Error(`serve exited: ${output}`)));
    });
    console.log(
      `serve on 127.0.0.1:${port} (${values.postgres ? "PostgreSQL" : "embedded PGlite"}); ${total} requests, ${concurrency} concurrent`,
    );

    const run = Date.now().toString(36);
    const planned = Array.from({ length: total }, (_, i) => plan(i, run));
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const results: { status: number; ms: number }[] = new Array(total);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total && Date.now() < deadline) {
          const index = next++;
          results[index] = await post(agent, port, planned[index]!);
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    agent.destroy();
    const done = results.filter(Boolean);
    const latencies = done.map((r) => r.ms).sort((a, b) => a - b);
    const byStatus: Record<string, number> = {};
    for (const r of done) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const accepted = planned.filter((_, i) => results[i]?.status === 202).map((p) => p.sourceId);
    console.log(`sent ${done.length} in ${elapsedS.toFixed(2)} s: ${(done.length / elapsedS).toFixed(0)} requests/s`);
    console.log(
      `latency ms: p50 ${percentile(latencies, 50).toFixed(1)}, p90 ${percentile(latencies, 90).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}, max ${latencies.at(-1)?.toFixed(1)}`,
    );
    console.log(`statuses: ${JSON.stringify(byStatus)}`);

    const drainStarted = performance.now();
    let tickets = 0;
    while (Date.now() < deadline) {
      tickets = JSON.parse(await runCli(["status", "--json"], env, cwd)).tickets.total;
      if (tickets >= accepted.length) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const drainS = (performance.now() - drainStarted) / 1000;
    const seen = new Set<string>();
    for (let offset = 0; offset < tickets; offset += 1000) {
      const page = JSON.parse(
        await runCli(
          ["tickets", "list", "--source", "webhook", "--limit", "1000", "--offset", String(offset), "--json"],
          env,
          cwd,
        ),
      ) as { sourceId: string }[];
      for (const t of page) seen.add(t.sourceId);
    }
    const missing = accepted.filter((id) => !seen.has(id));
    console.log(
      `tickets: ${tickets} for ${accepted.length} accepted requests (worker caught up ${drainS.toFixed(1)} s after the last request); missing: ${missing.length}; duplicates: ${tickets - seen.size}`,
    );
    const ok = done.length === total && accepted.length === total && missing.length === 0 && tickets === seen.size;
    console.log(ok ? "OK: every accepted request ended as exactly one ticket" : "FAILED");
    if (!ok) process.exitCode = 1;
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          server?.kill("SIGKILL");
          resolve(null);
        }, 30_000);
        server!.on("close", () => {
          clearTimeout(timer);
          resolve(null);
        });
      });
    }
    await rm(cwd, { recursive: true, force: true });
  }
}

await main();
