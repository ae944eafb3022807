// What AWS would report back for a created resource under mocks: enough outputs for the program to wire
// its parts together. Used by the unit tests and `npm run infra:synth`, never by the program itself.
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";

// biome-ignore lint/suspicious/noExplicitAny: mock outputs are untyped
type State = Record<string, any>;

export function mockState(type: string, name: string, inputs: State): State {
  const service = type.split(":")[1]?.split("/")[0] ?? "mock";
  const state: State = { arn: `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}`, name: inputs.name ?? name };
  switch (type) {
    case "aws:sqs/queue:Queue":
      return {
        ...state,
        url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${inputs.name ?? name}`,
        name: inputs.name ?? name,
      };
    case "aws:s3/bucket:Bucket":
      return { ...state, bucket: inputs.bucket ?? name, arn: `arn:aws:s3:::${name}` };
    case "aws:rds/instance:Instance":
      return {
        ...state,
        identifier: name,
        address: `${name}.abc.${REGION}.rds.amazonaws.com`,
        port: 5432,
        masterUserSecrets: [
          { secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!${name}`, secretStatus: "active" },
        ],
      };
    case "aws:ecs/taskDefinition:TaskDefinition":
      return { ...state, arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${inputs.family}:1`, revision: 1 };
    case "aws:lambda/function:Function":
      return { ...state, invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/functions/${state.arn}/invocations` };
    case "aws:apigateway/restApi:RestApi":
      return { ...state, rootResourceId: "root", executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:api123` };
    case "aws:apigatewayv2/api:Api":
      return {
        ...state,
        apiEndpoint: `https://ops456.execute-api.${REGION}.amazonaws.com`,
        executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:ops456`,
      };
    case "aws:apigateway/stage:Stage":
      return { ...state, invokeUrl: `https://api123.execute-api.${REGION}.amazonaws.com/${inputs.stageName}` };
    case "aws:lb/loadBalancer:LoadBalancer":
      return { ...state, dnsName: `${name}.${REGION}.elb.amazonaws.com`, zoneId: "Z32O12XQLNTSW2" };
    case "aws:cloudfront/distribution:Distribution":
      return { ...state, domainName: "d123.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" };
    case "aws:ecr/repository:Repository":
      return { ...state, repositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}` };
    case "awsx:ecr:Image":
      return { imageUri: `${inputs.repositoryUrl}@sha256:0123` };
    case "aws:acm/certificate:Certificate": {
      const domains = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])] as string[];
      return {
        ...state,
        domainValidationOptions: domains.map((d) => ({
          domainName: d,
          resourceRecordName: `_x.${d}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_y.acm-validations.aws.`,
        })),
      };
    }
    case "aws:acm/certificateValidation:CertificateValidation":
      return { ...state, certificateArn: inputs.certificateArn };
    case "aws:route53/record:Record":
      return { ...state, fqdn: inputs.name };
    case "aws:cognito/userPoolDomain:UserPoolDomain":
      return { ...state, domain: inputs.domain };
    default:
      return state;
  }
}

export function mockCall(token: string, _inputs: State): State {
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: [`${REGION}a`, `${REGION}b`, `${REGION}c`], zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"] };
    case "aws:index/getRegion:getRegion":
      return { region: REGION, name: REGION, id: REGION };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: "test", id: ACCOUNT };
    default:
      return {};
  }
}
