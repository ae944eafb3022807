import * as pulumi from "@pulumi/pulumi";

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
