/** The hybrid crew: the offline crew first, Claude for the items it is not sure of (see crew.ts, README.md). */
export {
  claudeUnavailable,
  createHybridAgents,
  type HybridAgentsOptions,
  hybridThreshold,
  ROUTER_AGENT,
  type RouteDecision,
  type RoutePath,
  routeByConfidence,
} from "./crew.js";
