import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the receiver answers to one request: a status (with headers), or no answer until the client gives up. */
export type ReceiverReply = { status: number; headers?: Record<string, string>; body?: string } | "hang";

export interface ReceivedRequest {
  method?: string;
  /** The path and query. */
  path?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * An HTTP receiver on 127.0.0.1 that records every request and answers from a script: each request takes the next
 * scripted reply, 204 once the script runs out. Tests inject 401, 404, 429 with Retry-After, 5xx and timeouts.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: ReceiverReply[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        receiver!.requests.push({
          method: req.method,
          path: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        const reply = receiver!.script.shift() ?? { status: 204 };
        if (reply === "hang") return;
        res.writeHead(reply.status, reply.headers).end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hook`);
    return receiver;
  }

  /** The next requests' replies, in order. */
  reply(...replies: ReceiverReply[]): void {
    this.script.push(...replies);
  }

  webhookIds(): string[] {
    return this.requests.map((r) => String(r.headers["webhook-id"]));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
