export { type RecordedResource, type Recording, recordProgram } from "../../../infra/mock-run.js";

/** Parses a JSON string input (policies, container definitions, event patterns). */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON is untyped
export function json(value: unknown): any {
  if (typeof value !== "string") throw new Error(`expected a JSON string, got ${typeof value}`);
  return JSON.parse(value);
}
