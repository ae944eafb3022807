import { createAwsAdapters } from "../aws/backend.js";
import { type AwsClients, createAwsClients, destroyAwsClients } from "../aws/clients.js";
import { BACKEND_SETTINGS } from "../aws/config.js";
import { sdkCredentials } from "../aws/credentials.js";
import type { Backend } from "../backend.js";
import type { BackendConfig } from "../config/runtime.js";
import { ConfigurationError } from "../errors.js";
import type { ConfigurationStore } from "../ports/configuration.js";
import type { TicketGrouping } from "../ports/grouping.js";
import type { TicketInsights } from "../ports/ticket-insights.js";
import { type AwsCredentials, type AwsCredentialsProvider, executeApiSigner } from "./sigv4.js";
import { OperatorApiClient, RemoteTicketRepository } from "./tickets.js";

export interface OperatorBackendOptions {
  config: BackendConfig;
  /** Default: the SDK's chain for AWS_PROFILE (the CLI profile's `awsProfile`): SSO, a role, keys, ... */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  fetch?: typeof fetch;
  clients?: Partial<AwsClients>;
}

const HINT =
  "From outside the VPC the tickets commands and status go through the operator API; for the rest, run the command on the stack (an ECS task) or reach the database over SSM port forwarding and set DATABASE_URL.";

/**
 * A port the operator API does not carry: every call fails with a ConfigurationError naming the port and the way
 * round it, instead of a connection error from a database that is not reachable from here.
 */
function notOverOperatorApi<T extends object>(port: string): T {
  return overOperatorApi<T>(port, {});
}

/** A port of which only the `reachable` methods go through the operator API; the others fail as above. */
function overOperatorApi<T extends object>(port: string, reachable: Partial<T>): T {
  return new Proxy(reachable as T, {
    get(target, property) {
      if (typeof property === "symbol" || property === "then") return undefined;
      if (Object.hasOwn(target, property)) return target[property as keyof T];
      if (property === "name") return `${port} (not reachable through the operator API)`;
      return () => {
        throw new ConfigurationError(`${port} (${property}) is not reachable through the operator API.`, {
          hint: HINT,
        });
      };
    },
  });
}

/**
 * The Backend of a deployed stack seen from a laptop: the tickets through the operator API (SigV4 with the profile's
 * credentials), the queue, DLQ, bus, metrics and artifacts through their AWS APIs as usual; the other database-backed
 * ports are out of reach and say so.
 */
export async function openOperatorBackend(options: OperatorBackendOptions): Promise<Backend> {
  const { aws } = options.config;
  const url = aws.settings.operatorApiUrl;
  const region = aws.settings.region;
  if (!url || !region)
    throw new ConfigurationError("The operator API needs its URL and region", {
      hint: 'Set FEEDBACK_OPERATOR_API_URL and AWS_REGION, or use the stack outputs file (outputs "operatorApiUrl", "region").',
    });
  const signer = executeApiSigner(region, options.credentials ?? sdkCredentials());
  const api = new OperatorApiClient({ url, signer, fetch: options.fetch });
  const tickets = new RemoteTicketRepository(api);
  const complete = BACKEND_SETTINGS.every((key) => aws.settings[key]);
  const clients = complete ? createAwsClients(aws, options.clients) : null;
  const adapters = clients ? createAwsAdapters(aws.settings, clients) : null;
  return {
    description: `AWS ${region}: tickets through the ${tickets.description}${adapters ? `, SQS queue ${adapters.queue.name}` : ""}`,
    kind: "aws",
    isOwner: false,
    tickets,
    bus: adapters?.bus ?? notOverOperatorApi("the event bus"),
    queue: adapters?.queue ?? notOverOperatorApi("the queue"),
    dlq: adapters?.dlq ?? notOverOperatorApi("the dead-letter queue"),
    metrics: adapters?.metrics ?? notOverOperatorApi("the metrics"),
    artifacts: adapters?.artifacts ?? notOverOperatorApi("the artifacts"),
    // What `status` reads goes through the API too; the rest of these ports stays on the stack.
    insights: overOperatorApi<TicketInsights>("ticket insights", {
      modelUsage: () => api.call("modelUsage", {}),
      crewRouting: () => api.call("crewRouting", {}),
    }),
    grouping: overOperatorApi<TicketGrouping>("duplicate grouping", {
      status: () => api.call("groupingStatus", {}),
    }),
    deliveries: notOverOperatorApi("webhook deliveries"),
    integrations: notOverOperatorApi("integrations"),
    configuration: overOperatorApi<ConfigurationStore>("the stored configuration", {
      load: () => api.call("configuration", {}),
    }),
    privacy: notOverOperatorApi("personal data"),
    sources: notOverOperatorApi("the store sources"),
    close: async () => {
      adapters?.queue.interruptReceives();
      if (clients) destroyAwsClients(clients);
    },
  };
}
