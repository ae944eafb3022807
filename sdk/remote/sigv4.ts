import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

/** AWS credentials as the SDK's providers give them (a profile's, SSO's, a role's). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** SHA-256 for the signer, on node:crypto (what @smithy/hash-node does; the SDK does not export it here). */
export class Sha256 {
  private hash: Hash | Hmac;
  private readonly secret: Buffer | undefined;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** API Gateway's service name in SigV4 (execute-api), for the operator API's region. */
export function executeApiSigner(region: string, credentials: AwsCredentials | AwsCredentialsProvider): SignatureV4 {
  return new SignatureV4({ service: "execute-api", region, credentials, sha256: Sha256 });
}

export interface SignedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** The request with SigV4's headers (authorization, x-amz-date, x-amz-content-sha256, the session token if any). */
export async function signRequest(
  signer: SignatureV4,
  request: { url: URL; method: string; headers?: Record<string, string>; body: string },
  signingDate?: Date,
): Promise<SignedRequest> {
  const { url } = request;
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: {
        ...request.headers,
        host: url.host,
        "x-amz-content-sha256": createHash("sha256").update(request.body).digest("hex"),
      },
      body: request.body,
    },
    signingDate ? { signingDate } : {},
  );
  return { url, method: request.method, headers: signed.headers as Record<string, string>, body: request.body };
}
