import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";
import { policyDocument } from "../policy-documents.js";
import { type InVpcBackendArgs, inVpcBackendFunction } from "./backend-environment.js";
import { NodeFunction } from "./node-function.js";

export const OPERATOR_HANDLER = "worker/handlers/tickets-lambda.ts";
/** The one route: the operation is the last path segment (sdk/remote/operator-api.ts). */
export const OPERATOR_ROUTE = "POST /tickets/{operation}";

export interface OperatorApiArgs extends InVpcBackendArgs {
  /** Requests per second across all operators (API Gateway throttling). */
  rateLimit?: number;
}

/**
 * Operator access to a deployed stack's tickets from a laptop: an HTTP API whose only route requires SigV4 (AWS_IAM
 * authorization) in front of the tickets Lambda, which runs in the private subnets beside RDS and answers through the
 * app layer. Whoever may call it is decided in IAM: attach `operatorPolicy` (execute-api:Invoke on the route) to the
 * operators' role or group. The CLI reaches it with the stack output `operatorApiUrl` (docs/operator-access.md).
 */
export class OperatorApi extends pulumi.ComponentResource {
  readonly fn: NodeFunction;
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  readonly operatorPolicy: aws.iam.Policy;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: OperatorApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:operator:OperatorApi", name, {}, opts);
    const parent = { parent: this };
    this.fn = new NodeFunction(
      childName(name, "lambda"),
      {
        entry: args.handlerEntry ?? OPERATOR_HANDLER,
        description: "Answers the operators' IAM-signed ticket queries and changes from inside the VPC",
        memorySize: 512,
        timeout: 30,
        ...inVpcBackendFunction(args),
      },
      parent,
    );
    this.api = new aws.apigatewayv2.Api(
      childName(name, "api"),
      { protocolType: "HTTP", description: "Operator access to the tickets (IAM-signed requests only)" },
      parent,
    );
    const integration = new aws.apigatewayv2.Integration(
      childName(name, "integration"),
      {
        apiId: this.api.id,
        integrationType: "AWS_PROXY",
        integrationUri: this.fn.function.arn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: 29_000,
      },
      parent,
    );
    new aws.apigatewayv2.Route(
      childName(name, "route"),
      {
        apiId: this.api.id,
        routeKey: OPERATOR_ROUTE,
        authorizationType: "AWS_IAM",
        target: pulumi.interpolate`integrations/${integration.id}`,
      },
      parent,
    );
    const accessLogs = new aws.cloudwatch.LogGroup(
      childName(name, "access-logs"),
      { retentionInDays: args.logRetentionDays ?? 30 },
      parent,
    );
    this.stage = new aws.apigatewayv2.Stage(
      childName(name, "stage"),
      {
        apiId: this.api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.rateLimit ?? 10,
          throttlingBurstLimit: (args.rateLimit ?? 10) * 2,
        },
        // Who called what: the caller's IAM ARN on every line.
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          format: JSON.stringify({
            requestId: "$context.requestId",
            caller: "$context.identity.userArn",
            route: "$context.routeKey",
            path: "$context.path",
            status: "$context.status",
            time: "$context.requestTime",
          }),
        },
      },
      parent,
    );
    new aws.lambda.Permission(
      childName(name, "invoke"),
      {
        action: "lambda:InvokeFunction",
        function: this.fn.function.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${this.api.executionArn}/*/POST/tickets/*`,
      },
      parent,
    );
    this.operatorPolicy = new aws.iam.Policy(
      childName(name, "operator-policy"),
      {
        description:
          "Lets an operator (attach to their role or group) use feedback-cli's tickets commands on this stack",
        policy: policyDocument([
          {
            Sid: "OperatorApi",
            Action: "execute-api:Invoke",
            Resource: pulumi.interpolate`${this.api.executionArn}/*/POST/tickets/*`,
          },
        ]),
      },
      parent,
    );
    this.url = this.api.apiEndpoint;
    this.registerOutputs({ url: this.url, operatorPolicyArn: this.operatorPolicy.arn });
  }
}
