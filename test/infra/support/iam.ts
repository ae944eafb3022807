import type { Recording } from "./harness.js";
import { json } from "./harness.js";

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, unknown>;
}

/** Statements of the inline policy recorded under `name`. */
export function statementsOf(recording: Recording, name: string): PolicyStatement[] {
  return json(recording.named(name).inputs.policy).Statement;
}

/** Every action the policy allows, flattened. */
export function actionsOf(recording: Recording, name: string): string[] {
  return statementsOf(recording, name).flatMap((s) => [s.Action].flat());
}
