import { parseSettings, type RawConfig } from "../../../infra/config.js";
import { createStack } from "../../../infra/stack.js";
import { type Recording, recordProgram } from "./harness.js";

export const FIXTURE_HANDLER = "test/infra/fixtures/handler/index.ts";
export const FIXTURE_HANDLERS = {
  ingestion: FIXTURE_HANDLER,
  webhook: FIXTURE_HANDLER,
  upload: FIXTURE_HANDLER,
  email: FIXTURE_HANDLER,
  operator: FIXTURE_HANDLER,
  trackerEvents: FIXTURE_HANDLER,
};
export const EXAMPLE_DASHBOARD: RawConfig = { dashboardDomain: "feedback.example.com", hostedZoneId: "Z0123456789ABC" };

/** The whole program under mocks, with the fixture handler standing in for the Lambda handlers. */
export function recordStack(raw: RawConfig = {}): Promise<Recording> {
  return recordProgram(() => createStack(parseSettings(raw), {}, { handlers: FIXTURE_HANDLERS }));
}
