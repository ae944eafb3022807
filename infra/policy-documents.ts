import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./names.js";

export interface Statement {
  Sid?: string;
  Effect?: "Allow" | "Deny";
  Action: string | string[];
  Resource: pulumi.Input<string> | pulumi.Input<string>[];
  Condition?: Record<string, unknown>;
  Principal?: unknown;
}

/** An IAM policy document as JSON, with ARNs that may still be unresolved outputs. */
export function policyDocument(statements: Statement[]): pulumi.Output<string> {
  return pulumi
    .output(statements.map((s) => ({ Effect: "Allow", ...s })))
    .apply((resolved) => JSON.stringify({ Version: "2012-10-17", Statement: resolved }));
}

/** Trust policy letting an AWS service assume a role. */
export function assumedBy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/**
 * The role EventBridge Scheduler assumes to start a schedule's target, allowed exactly `statements`; named
 * `<name>-scheduler-role` and `<name>-scheduler-policy`, children of the component owning the schedule.
 */
export function schedulerRole(name: string, statements: Statement[], opts: pulumi.CustomResourceOptions): aws.iam.Role {
  const role = new aws.iam.Role(
    childName(name, "scheduler-role"),
    { assumeRolePolicy: assumedBy("scheduler.amazonaws.com") },
    opts,
  );
  new aws.iam.RolePolicy(
    childName(name, "scheduler-policy"),
    { role: role.id, policy: policyDocument(statements) },
    opts,
  );
  return role;
}
