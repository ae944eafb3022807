import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (request: IncomingMessage, url: URL, body: string) => Reply | "drop" | Promise<Reply | "drop">;

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  /** Answers only after this long (a store that hangs). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  url: URL;
  authorization: string | undefined;
}

/** A store API on 127.0.0.1 (port 0): `handle` answers each request; "drop" cuts the connection (a crash mid-pull). */
export class FakeStoreServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  /** Replies served before `handle` is asked, one per request (e.g. a 429). */
  readonly queued: Reply[] = [];

  constructor(private readonly handle: Handler) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.serve(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", this.url);
    this.requests.push({ method: request.method ?? "GET", url, authorization: request.headers.authorization });
    const reply = this.queued.shift() ?? (await this.handle(request, url, Buffer.concat(chunks).toString("utf8")));
    if (reply === "drop") {
      request.socket.destroy();
      return;
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (response.destroyed) return;
    response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    response.end(reply.json === undefined ? "" : JSON.stringify(reply.json));
  }
}
