import type { IntegrationDestination } from "../../sdk/ports/integrations.js";

/** A harmless read that proves a tracker token works: the request to make, or why it cannot be made. */
export type TrackerRead = { url: string; init: RequestInit; graphql?: boolean } | { error: string };

const trimSlash = (url: string) => url.replace(/\/+$/, "");
const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : undefined);

/** GitHub: GET /repos/{owner}/{repo} (settings.repository "owner/name", or settings.owner and settings.repo). */
function githubRead(destination: IntegrationDestination, token: string): TrackerRead {
  const { settings } = destination;
  const repository =
    text(settings.repository) ?? (text(settings.owner) && text(settings.repo) && `${settings.owner}/${settings.repo}`);
  if (!repository || !/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    return { error: 'settings.repository is missing or not "owner/name"' };
  }
  return {
    url: `${trimSlash(destination.url)}/repos/${repository}`,
    init: {
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
      },
    },
  };
}

/** Linear: the GraphQL query `{ viewer { id } }`; a personal API key goes as it is, an OAuth token after "Bearer". */
function linearRead(destination: IntegrationDestination, token: string): TrackerRead {
  const base = trimSlash(destination.url);
  return {
    url: base.endsWith("/graphql") ? base : `${base}/graphql`,
    init: {
      method: "POST",
      headers: { "content-type": "application/json", authorization: token },
      body: JSON.stringify({ query: "{ viewer { id } }" }),
    },
    graphql: true,
  };
}

/** Jira Cloud: GET /rest/api/3/myself with basic auth, the account's e-mail (settings.email) and an API token. */
function jiraRead(destination: IntegrationDestination, token: string): TrackerRead {
  const email = text(destination.settings.email);
  const credentials = email ? `${email}:${token}` : token.includes(":") ? token : undefined;
  if (!credentials) return { error: 'settings.email is missing (or store the secret as "email:api-token")' };
  return {
    url: `${trimSlash(destination.url)}/rest/api/3/myself`,
    init: {
      headers: { accept: "application/json", authorization: `Basic ${Buffer.from(credentials).toString("base64")}` },
    },
  };
}

/** The credential check of a tracker destination; null for kinds that are not trackers. */
export function trackerRead(destination: IntegrationDestination, token: string): TrackerRead | null {
  switch (destination.kind) {
    case "github":
      return githubRead(destination, token);
    case "linear":
      return linearRead(destination, token);
    case "jira":
      return jiraRead(destination, token);
    default:
      return null;
  }
}

/** A GraphQL answer's first error message (Linear answers some auth failures with 200 and `errors`). */
export async function graphqlError(response: Response): Promise<string | null> {
  const body = (await response.json().catch(() => null)) as { errors?: { message?: string }[] } | null;
  const first = body?.errors?.[0];
  return first ? (first.message ?? "GraphQL error") : null;
}
