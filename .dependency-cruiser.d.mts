import type { ICruiseOptions, IForbiddenRuleType } from "dependency-cruiser";

export interface KnownViolation {
  rule: string;
  from: string;
  to: string;
  issue: string;
}
export const KNOWN_VIOLATIONS: KnownViolation[];
export function forbiddenRules(known?: KnownViolation[]): IForbiddenRuleType[];
export const options: ICruiseOptions;
declare const config: { forbidden: IForbiddenRuleType[]; options: ICruiseOptions };
export default config;
