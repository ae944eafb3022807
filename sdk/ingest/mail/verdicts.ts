/** SES's receipt verdicts for one message (PASS, FAIL, GRAY, PROCESSING_FAILED; GRAY when unknown). */
export interface MailVerdicts {
  spam: string;
  virus: string;
  spf: string;
  dkim: string;
  dmarc: string;
  dmarcPolicy: string | null;
}

type HeaderValue = unknown;

/** Case-insensitive header lookup over mailparser's `headers` map (or any map of lower-cased names). */
export type HeaderLookup = { get(name: string): HeaderValue };

function headerText(value: HeaderValue): string | null {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(headerText).filter(Boolean).join(" ");
  if (value && typeof value === "object" && "value" in value && typeof value.value === "string") return value.value;
  return null;
}

function verdictHeader(headers: HeaderLookup, name: string): string | null {
  const text = headerText(headers.get(name))?.trim().toUpperCase();
  return text || null;
}

function authenticationResult(results: string | null, method: string): string | null {
  const match = results?.match(new RegExp(`\\b${method}=([a-z]+)`, "i"));
  return match?.[1]?.toUpperCase() ?? null;
}

/**
 * The verdicts a stored message carries in its own headers, for mail read from files (.eml, mbox): SES writes
 * `X-SES-Spam-Verdict` and `X-SES-Virus-Verdict` into every message its S3 action stores, and receiving servers
 * record SPF/DKIM/DMARC in `Authentication-Results`. Null when the message carries none of them, so mail from an
 * ordinary mailbox export is not judged on missing evidence.
 */
export function verdictsFromHeaders(headers: HeaderLookup): MailVerdicts | null {
  const results = headerText(headers.get("authentication-results"));
  const spam = verdictHeader(headers, "x-ses-spam-verdict");
  const virus = verdictHeader(headers, "x-ses-virus-verdict");
  const spf = authenticationResult(results, "spf");
  const dkim = authenticationResult(results, "dkim");
  const dmarc = authenticationResult(results, "dmarc");
  if (!spam && !virus && !spf && !dkim && !dmarc) return null;
  return {
    spam: spam ?? "GRAY",
    virus: virus ?? "GRAY",
    spf: spf ?? "GRAY",
    dkim: dkim ?? "GRAY",
    dmarc: dmarc ?? "GRAY",
    dmarcPolicy: results?.match(/\bp=([a-z]+)/i)?.[1]?.toUpperCase() ?? null,
  };
}

/** SES's rule, wherever the verdicts come from: spam or virus FAIL makes no ticket. */
export function droppedByVerdict(verdicts: MailVerdicts | null | undefined): string | null {
  if (verdicts?.virus === "FAIL") return "virus verdict FAIL";
  if (verdicts?.spam === "FAIL") return "spam verdict FAIL";
  return null;
}
