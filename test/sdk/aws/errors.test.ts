import { SQSServiceException } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { isNotFound, translateAwsError } from "../../../sdk/aws/errors.js";
import {
  AccessDeniedError,
  BackendError,
  ConfigurationError,
  ConflictError,
  NotFoundError,
  ThrottlingError,
  TooLargeError,
  ValidationError,
} from "../../../sdk/errors.js";

const awsError = (name: string, status = 400, extra: Record<string, unknown> = {}) =>
  Object.assign(
    new SQSServiceException({
      name,
      message: `${name} happened`,
      $fault: status >= 500 ? "server" : "client",
      $metadata: { httpStatusCode: status },
    }),
    extra,
  );

describe("translateAwsError", () => {
  it.each([
    ["ThrottlingException", 400, ThrottlingError],
    ["ProvisionedThroughputExceededException", 400, ThrottlingError],
    ["SlowDown", 503, ThrottlingError],
    ["AnythingElse", 429, ThrottlingError],
    ["AccessDeniedException", 400, AccessDeniedError],
    ["AccessDenied", 403, AccessDeniedError],
    ["ExpiredTokenException", 400, AccessDeniedError],
    ["ResourceNotFoundException", 400, NotFoundError],
    ["NoSuchKey", 404, NotFoundError],
    ["AWS.SimpleQueueService.NonExistentQueue", 400, NotFoundError],
    ["EntityTooLarge", 400, TooLargeError],
    ["BatchRequestTooLong", 400, TooLargeError],
    ["ConditionalCheckFailedException", 400, ConflictError],
    ["ReceiptHandleIsInvalid", 400, ConflictError],
    ["ValidationException", 400, ValidationError],
    ["InternalError", 500, BackendError],
  ])("%s (HTTP %i) becomes %s, keeping the cause", (name, status, expected) => {
    const original = awsError(name, status);
    const translated = translateAwsError(original, "SQS Test on q");
    expect(translated).toBeInstanceOf(expected);
    expect(translated.cause).toBe(original);
    expect(translated.message).toMatch(new RegExp(`^SQS Test on q failed: ${name.replace(/\./g, "\\.")}`));
  });

  it("reads DynamoDB's oversized item, a Retry-After header, and missing credentials", () => {
    expect(
      translateAwsError(
        awsError("ValidationException", 400, { message: "Item size has exceeded the maximum allowed size" }),
        "x",
      ),
    ).toBeInstanceOf(TooLargeError);
    const throttled = translateAwsError(
      awsError("Throttling", 400, { $response: { headers: { "retry-after": "3" } } }),
      "x",
    ) as ThrottlingError;
    expect(throttled.retryAfterMs).toBe(3000);
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(translateAwsError(noCredentials, "x")).toBeInstanceOf(ConfigurationError);
  });

  it("turns a missing bucket into a configuration error naming the bucket setting, never into 'not found'", () => {
    const missing = awsError("NoSuchBucket", 404);
    expect(isNotFound(missing)).toBe(false);
    expect(isNotFound(awsError("NoSuchKey", 404))).toBe(true);
    const named = translateAwsError(missing, "S3 GetObject s3://typo/x", { setting: "artifactsBucketName" });
    expect(named).toBeInstanceOf(ConfigurationError);
    expect(named.hint).toMatch(/FEEDBACK_ARTIFACTS_BUCKET \(or stack output "artifactsBucketName"\)/);
    const generic = translateAwsError(missing, "S3 GetObject s3://typo/x");
    expect(generic).toBeInstanceOf(ConfigurationError);
    expect(generic.hint).toMatch(/FEEDBACK_ARTIFACTS_BUCKET \/ FEEDBACK_UPLOADS_BUCKET/);
  });

  it("leaves the SDK's own errors alone", () => {
    const own = new NotFoundError("already translated");
    expect(translateAwsError(own, "x")).toBe(own);
  });
});
