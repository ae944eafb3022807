import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { executeApiSigner } from "../../sdk/remote/sigv4.js";
import type { createTicketsLambda } from "../../worker/handlers/tickets-lambda.js";

export const REGION = "eu-west-1";
export const OPERATOR = { accessKeyId: "AKIAOPERATOR", secretAccessKey: "operator-secret" };
export const CALLER_ARN = "arn:aws:iam::123456789012:user/ops-alice";

/**
 * Stands in for API Gateway with the AWS_IAM authorizer: recomputes each request's SigV4 signature with the same
 * library and the operator's secret (403 as API Gateway answers when it does not match), then hands the request to
 * the tickets Lambda as an HTTP API 2.0 event carrying the caller's IAM ARN.
 */
export async function startFakeApiGateway(handler: ReturnType<typeof createTicketsLambda>) {
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
