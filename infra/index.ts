// The Pulumi program's entry point (Pulumi.yaml `main`). It is the only file that reads pulumi.Config;
// the AWS architecture's components are wired here by the infrastructure work (issue #4).
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
export const stack = pulumi.getStack();
export const scale = config.get("scale") ?? "small";
