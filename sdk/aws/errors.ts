import {
  AccessDeniedError,
  BackendError,
  ConfigurationError,
  ConflictError,
  FeedbackTriageError,
  NotFoundError,
  ThrottlingError,
  TooLargeError,
  ValidationError,
} from "../errors.js";
import { AWS_SETTINGS, type AwsSettingKey } from "./config.js";

/** What the AWS SDK v3 puts on a service exception (ServiceException from @smithy/smithy-client). */
interface AwsErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  $response?: { headers?: Record<string, string | undefined> };
}

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestLimitExceededException",
  "LimitExceededException",
  "SlowDown",
  "KMSThrottlingException",
  "OverLimit",
  "AWS.SimpleQueueService.RequestThrottled",
  "TransactionInProgressException",
]);

const NOT_FOUND = new Set([
  "ResourceNotFoundException",
  "ResourceNotFound",
  "NoSuchKey",
  "NotFound",
  "NoSuchUpload",
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "NonExistentQueue",
]);

const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "AuthorizationError",
  "AuthorizationErrorException",
  "NotAuthorizedForSourceException",
  "UnauthorizedOperation",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "KMSAccessDeniedException",
  "KmsAccessDenied",
  "AWS.SimpleQueueService.KmsAccessDenied",
]);

const TOO_LARGE = new Set([
  "EntityTooLarge",
  "RequestEntityTooLargeException",
  "BatchRequestTooLong",
  "AWS.SimpleQueueService.BatchRequestTooLong",
  "ItemCollectionSizeLimitExceededException",
  "MaxMessageSizeExceeded",
]);

const CONFLICT = new Set([
  "ConditionalCheckFailedException",
  "TransactionConflictException",
  "TransactionCanceledException",
  "ReceiptHandleIsInvalid",
  "AWS.SimpleQueueService.ReceiptHandleIsInvalid",
  "MessageNotInflight",
  "AWS.SimpleQueueService.MessageNotInflight",
  "ResourceInUseException",
]);

const VALIDATION = new Set([
  "ValidationException",
  "InvalidParameterValue",
  "InvalidParameterValueException",
  "InvalidParameterException",
  "InvalidParameterCombination",
  "MissingParameter",
  "InvalidAttributeName",
  "InvalidAttributeValue",
  "InvalidMessageContents",
  "InvalidBatchEntryId",
  "BatchEntryIdsNotDistinct",
  "EmptyBatchRequest",
  "TooManyEntriesInBatchRequest",
  "InvalidArgument",
  "InvalidRequest",
  "InvalidRequestException",
  "AWS.SimpleQueueService.InvalidBatchEntryId",
  "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
  "AWS.SimpleQueueService.EmptyBatchRequest",
  "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
]);

/** Credential-provider failures happen before any request is sent: a setup problem, not a denial. */
const NO_CREDENTIALS = new Set(["CredentialsProviderError", "TokenProviderError"]);

/** The error's AWS code: `name` on SDK v3 exceptions, `Code`/`code` on some query-protocol errors. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const shape = error as AwsErrorShape;
  return shape.Code ?? shape.code ?? shape.name;
}

export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  return (error as AwsErrorShape).$metadata?.httpStatusCode;
}

export function isThrottling(error: unknown): boolean {
  const code = awsErrorCode(error);
  if (code && THROTTLING.has(code)) return true;
  const shape = error as AwsErrorShape | null;
  return Boolean(shape?.$retryable?.throttling) || httpStatusOf(error) === 429;
}

/**
 * A missing bucket is a wrong setting, never an absent object: S3 answers 404 for both, so the code decides.
 * (A missing key reads as null; a misspelt bucket name must not.)
 */
const MISSING_BUCKET = "NoSuchBucket";

export function isNotFound(error: unknown): boolean {
  const code = awsErrorCode(error);
  if (code === MISSING_BUCKET) return false;
  return (code !== undefined && NOT_FOUND.has(code)) || httpStatusOf(error) === 404;
}

/** What the caller knows about the resource, for a more useful hint. */
export interface AwsErrorContext {
  /** The setting the resource's name came from (e.g. artifactsBucketName). */
  setting?: AwsSettingKey;
}

function settingHint(setting: AwsSettingKey | undefined, fallback: string): string {
  if (!setting) return fallback;
  const s = AWS_SETTINGS[setting];
  return `${s.env} (or stack output "${s.output}") names ${s.what}`;
}

/**
 * Turns an AWS SDK error into the SDK's own error class, keeping the original as `cause`:
 * throttling -> ThrottlingError, missing resource -> NotFoundError, denied -> AccessDeniedError,
 * over a size limit -> TooLargeError, lost condition / stale handle -> ConflictError, bad input ->
 * ValidationError, missing credentials or a bucket that does not exist (NoSuchBucket) -> ConfigurationError,
 * anything else -> BackendError. `what` names the operation, e.g. `SQS SendMessageBatch on feedback-queue`.
 */
export function translateAwsError(error: unknown, what: string, context: AwsErrorContext = {}): FeedbackTriageError {
  if (error instanceof FeedbackTriageError) return error;
  const code = awsErrorCode(error) ?? "UnknownError";
  const status = httpStatusOf(error);
  const detail = error instanceof Error && error.message ? error.message : String(error);
  const message = `${what} failed: ${code}${status ? ` (HTTP ${status})` : ""}: ${detail}`;
  const options = { cause: error };

  if (isThrottling(error)) {
    return new ThrottlingError(message, {
      ...options,
      retryAfterMs: retryAfterMs(error),
      hint: "AWS is throttling this account or resource; retry later or lower the request rate.",
    });
  }
  if (ACCESS_DENIED.has(code) || status === 403 || status === 401) {
    return new AccessDeniedError(message, {
      ...options,
      hint: "Check the IAM role or credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID, the task/function role) and their policy for this resource.",
    });
  }
  if (NO_CREDENTIALS.has(code)) {
    return new ConfigurationError(message, {
      ...options,
      hint: "No AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where a role is attached.",
    });
  }
  if (code === MISSING_BUCKET) {
    const names = settingHint(
      context.setting,
      "FEEDBACK_ARTIFACTS_BUCKET / FEEDBACK_UPLOADS_BUCKET (or the stack outputs file) name the buckets",
    );
    return new ConfigurationError(message, {
      ...options,
      hint: `The bucket does not exist: ${names}; check it, and AWS_REGION.`,
    });
  }
  if (NOT_FOUND.has(code) || status === 404) {
    return new NotFoundError(message, {
      ...options,
      hint: "Check the resource names (stack outputs file, FEEDBACK_* variables) and AWS_REGION.",
    });
  }
  if (TOO_LARGE.has(code) || status === 413 || isItemTooLarge(code, detail)) {
    return new TooLargeError(message, {
      ...options,
      hint: "Store large content as an artifact and send its key instead.",
    });
  }
  if (CONFLICT.has(code) || status === 409) return new ConflictError(message, options);
  if (VALIDATION.has(code)) return new ValidationError(message, options);
  return new BackendError(message, options);
}

/** DynamoDB reports an oversized item as a ValidationException with this text. */
function isItemTooLarge(code: string, detail: string): boolean {
  return code === "ValidationException" && /item size has exceeded/i.test(detail);
}

function retryAfterMs(error: unknown): number | undefined {
  const header = (error as AwsErrorShape | null)?.$response?.headers?.["retry-after"];
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Runs one AWS call, translating whatever it throws. */
export async function callAws<T>(what: string, call: () => Promise<T>, context?: AwsErrorContext): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, what, context);
  }
}
