import type * as pulumi from "@pulumi/pulumi";
import { childName, settingEnv } from "../names.js";
import { type InVpcBackendArgs, inVpcBackendFunction } from "./backend-environment.js";
import { NodeFunction } from "./node-function.js";

export const TRACKER_EVENTS_HANDLER = "worker/handlers/tracker-events-lambda.ts";
/** The path on the public API, as `serve` routes it (app/integrations/trackers/tracker-webhooks.ts). */
export const TRACKER_EVENTS_PATH = ["integrations", "{destination}", "events"] as const;
/** Trackers deliver one event per issue change; a burst beyond this waits in their retries, not on RDS connections. */
export const TRACKER_EVENTS_CONCURRENCY = 5;

/**
 * The Lambda behind the trackers' signed webhooks (two-way status sync): in the private subnets beside RDS, since a
 * close in GitHub, Linear or Jira changes the linked ticket. Sources routes POST /integrations/{destination}/events
 * of the public API to it; the signature, checked with the destination's webhookSecretRef, is the only credential.
 */
export function trackerEventsFunction(
  name: string,
  args: InVpcBackendArgs & {
    /** The integrations' secret: the trackers' webhook signing secrets named by `env:NAME` are read from it. */
    integrationSecretsArn: pulumi.Input<string>;
  },
  opts?: pulumi.ComponentResourceOptions,
): NodeFunction {
  const inVpc = inVpcBackendFunction(args);
  return new NodeFunction(
    childName(name, "lambda"),
    {
      entry: args.handlerEntry ?? TRACKER_EVENTS_HANDLER,
      description: "Closes and reopens tickets from the trackers' signed webhooks, inside the VPC",
      memorySize: 512,
      timeout: 30,
      reservedConcurrency: TRACKER_EVENTS_CONCURRENCY,
      ...inVpc,
      environment: { ...inVpc.environment, [settingEnv("integrationSecretsArn")]: args.integrationSecretsArn },
      statements: [
        ...(inVpc.statements ?? []),
        { Sid: "IntegrationSecrets", Action: "secretsmanager:GetSecretValue", Resource: args.integrationSecretsArn },
      ],
    },
    opts,
  );
}
