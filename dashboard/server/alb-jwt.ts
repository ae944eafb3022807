import { createPublicKey, type KeyObject, verify } from "node:crypto";

/**
 * Verification of the `x-amzn-oidc-data` header an Application Load Balancer adds after it has logged
 * the user in (Cognito or OIDC): an ES256 JWT signed by the load balancer, whose public key is published
 * per region and key id at https://public-keys.auth.elb.<region>.amazonaws.com/<kid>. Keys never change
 * for a kid, so each is fetched once and cached. ALB tokens may carry base64 padding; it is tolerated.
 */

export interface AlbClaims {
  sub: string;
  email?: string;
  username?: string;
  name?: string;
  exp: number;
  [claim: string]: unknown;
}

export class AlbTokenError extends Error {}

export type KeyFetcher = (kid: string, region: string) => Promise<string>;

export interface AlbVerifierOptions {
  region: string;
  /** The load balancer's ARN: tokens signed for any other load balancer are refused (recommended by AWS). */
  expectedSigner?: string;
  /** Returns the PEM public key of `kid`; default fetches it from the region's ALB key endpoint. */
  fetchKey?: KeyFetcher;
  /** Seconds; default Date.now(). */
  now?: () => number;
  /** Clock skew allowed on `exp`, seconds. */
  leewaySeconds?: number;
}

export const albKeyUrl = (region: string, kid: string) =>
  `https://public-keys.auth.elb.${region}.amazonaws.com/${encodeURIComponent(kid)}`;

export const fetchAlbPublicKey: KeyFetcher = async (kid, region) => {
  const response = await fetch(albKeyUrl(region, kid), { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new AlbTokenError(`ALB public key ${kid}: HTTP ${response.status}`);
  return response.text();
};

function decodeSegment(segment: string): Buffer {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(segment)) throw new AlbTokenError("token is not base64url");
  return Buffer.from(segment.replace(/=+$/, ""), "base64url");
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(decodeSegment(segment).toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new AlbTokenError(`token ${what} is not a JSON object`);
}

export class AlbTokenVerifier {
  private readonly keys = new Map<string, Promise<KeyObject>>();
  private readonly fetchKey: KeyFetcher;
  private readonly now: () => number;

  constructor(private readonly options: AlbVerifierOptions) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region))
      throw new AlbTokenError(`'${options.region}' is not an AWS region`);
    this.fetchKey = options.fetchKey ?? fetchAlbPublicKey;
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  async verify(token: string): Promise<AlbClaims> {
    if (token.length > 16_384) throw new AlbTokenError("token too long");
    const parts = token.split(".");
    if (parts.length !== 3) throw new AlbTokenError("token is not a JWT");
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = decodeJson(headerPart, "header");
    if (header.alg !== "ES256") throw new AlbTokenError(`unexpected algorithm ${String(header.alg)}`);
    const kid = header.kid;
    if (typeof kid !== "string" || !/^[A-Za-z0-9-]{1,128}$/.test(kid))
      throw new AlbTokenError("token has no valid key id");
    if (this.options.expectedSigner && header.signer !== this.options.expectedSigner) {
      throw new AlbTokenError("token was signed by another load balancer");
    }
    const key = await this.key(kid);
    const signature = decodeSegment(signaturePart);
    const signed = verify(
      "sha256",
      Buffer.from(`${headerPart}.${payloadPart}`),
      { key, dsaEncoding: "ieee-p1363" },
      signature,
    );
    if (!signed) throw new AlbTokenError("bad token signature");
    const claims = decodeJson(payloadPart, "payload");
    const exp =
      typeof claims.exp === "number" ? claims.exp : typeof header.exp === "number" ? header.exp : Number(header.exp);
    if (!Number.isFinite(exp)) throw new AlbTokenError("token has no expiry");
    if (exp + (this.options.leewaySeconds ?? 60) < this.now()) throw new AlbTokenError("token expired");
    if (typeof claims.sub !== "string" || !claims.sub) throw new AlbTokenError("token has no subject");
    return { ...claims, sub: claims.sub, exp } as AlbClaims;
  }

  private key(kid: string): Promise<KeyObject> {
    let key = this.keys.get(kid);
    if (!key) {
      key = this.fetchKey(kid, this.options.region).then((pem) => {
        if (!pem.includes("-----BEGIN PUBLIC KEY-----"))
          throw new AlbTokenError(`ALB public key ${kid} is not a PEM public key`);
        const object = createPublicKey(pem);
        if (object.asymmetricKeyType !== "ec") throw new AlbTokenError(`ALB public key ${kid} is not an EC key`);
        return object;
      });
      // A failed fetch is not cached: the next request tries again.
      key.catch(() => this.keys.delete(kid));
      this.keys.set(kid, key);
    }
    return key;
  }
}

/** Who the user is, for the history of their changes: e-mail when the identity provider gives one. */
export function actorOf(claims: AlbClaims): string {
  const pick = [claims.email, claims.username, claims.name].find((v) => typeof v === "string" && v.trim());
  return (typeof pick === "string" ? pick.trim() : claims.sub).slice(0, 200);
}
