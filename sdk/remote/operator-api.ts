import { z } from "zod";
import { TriageConfiguration } from "../schemas/configuration.js";
import { GroupingStatus } from "../schemas/grouping.js";
import { CrewRoutingJson, ModelUsageJson } from "../schemas/insights.js";
import { Ticket, TicketDetail, TicketPatch, TicketQuery } from "../schemas/ticket.js";

/**
 * The operator API's wire contract, shared by the tickets Lambda (worker/handlers/tickets-lambda.ts) and the CLI's
 * remote adapter (sdk/remote/tickets.ts): `POST <api>/tickets/<operation>` with a JSON body, answered with JSON.
 * API Gateway admits only SigV4-signed requests of principals allowed `execute-api:Invoke` on the route.
 */

/** A ticket query as JSON carries it: dates as ISO strings. */
const WireQuery = TicketQuery.extend({
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
});

export const OPERATOR_API = {
  list: {
    request: z.object({ query: WireQuery }),
    response: z.object({ items: z.array(Ticket), total: z.number().int(), totalCapped: z.boolean() }),
  },
  get: {
    request: z.object({ id: z.string().min(1).max(100) }),
    response: z.object({ ticket: TicketDetail.nullable() }),
  },
  resolveId: {
    request: z.object({ given: z.string().min(1).max(100) }),
    response: z.object({ ids: z.array(z.string()) }),
  },
  matchingIds: {
    request: z.object({ query: WireQuery, limit: z.number().int().min(1).max(10_000) }),
    response: z.object({ ids: z.array(z.string()), more: z.boolean() }),
  },
  update: {
    // Who changes the ticket is the signed caller (the Lambda takes it from the request context), never the body.
    request: z.object({
      id: z.uuid(),
      patch: TicketPatch,
      reason: z.string().max(2_000).optional(),
      expectedVersion: z.number().int().positive().optional(),
    }),
    response: z.object({ ticket: Ticket }),
  },
  counts: {
    request: z.object({}),
    response: z.object({
      total: z.number().int(),
      byPriority: z.record(z.string(), z.number()),
      byCategory: z.record(z.string(), z.number()),
      byStatus: z.record(z.string(), z.number()),
    }),
  },
  // The rest of what `feedback-cli status` reads from the database.
  modelUsage: { request: z.object({}), response: ModelUsageJson },
  crewRouting: { request: z.object({}), response: CrewRoutingJson },
  groupingStatus: { request: z.object({}), response: GroupingStatus.omit({ enabled: true }) },
  /** The stored configuration, read only (`config set` runs where the database is). */
  configuration: { request: z.object({}), response: TriageConfiguration },
} as const;

export type OperatorOperation = keyof typeof OPERATOR_API;
export const OPERATOR_OPERATIONS = Object.keys(OPERATOR_API) as OperatorOperation[];
export type OperatorRequest<O extends OperatorOperation> = z.input<(typeof OPERATOR_API)[O]["request"]>;
export type OperatorResponse<O extends OperatorOperation> = z.output<(typeof OPERATOR_API)[O]["response"]>;

/** The error body the API answers a failed call with; `code` names the SDK error class to raise on the laptop. */
export const OperatorError = z.object({
  error: z.enum(["validation", "not_found", "conflict", "forbidden", "internal"]),
  message: z.string(),
  hint: z.string().optional(),
});
export type OperatorError = z.infer<typeof OperatorError>;

/** The route path of an operation, below the API's URL. */
export const operationPath = (operation: OperatorOperation) => `/tickets/${operation}`;
