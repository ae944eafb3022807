import { standInHandlers } from "../components/lambda-handlers.js";
import type { Settings } from "../config.js";
import { recordProgram } from "../mock-run.js";
import { createStack } from "../stack.js";
import type { ProgramResource } from "./model.js";

/** A small handler stands in for the Lambda handlers: their code does not change what the program creates. */
const STAND_IN_HANDLER = "test/infra/fixtures/handler/index.ts";
const HANDLERS = standInHandlers(STAND_IN_HANDLER);

/** The AWS resources the program creates for `settings` (the synth, run against mocks), for the cost model. */
export async function programResources(settings: Settings): Promise<ProgramResource[]> {
  const recording = await recordProgram(() => createStack(settings, {}, { handlers: HANDLERS }));
  return recording.resources.filter((r) => r.custom).map(({ type, name, inputs }) => ({ type, name, inputs }));
}
