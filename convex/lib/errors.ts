import { ConvexError } from "convex/values";

/**
 * The error codes every public function may answer with, as `ConvexError` data
 * (`{ code, message }`). Clients branch on `code`; `message` is for people.
 */
export const ErrorCode = {
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  VALIDATION_ERROR: "VALIDATION_ERROR",
  RATE_LIMITED: "RATE_LIMITED",
  CONFLICT: "CONFLICT",
  MEETING_NOT_ACTIVE: "MEETING_NOT_ACTIVE",
  PROVIDER_ERROR: "PROVIDER_ERROR",
  INTERNAL: "INTERNAL",
  /** The org's plan does not include this (`details.entitlement`, `details.plan`). */
  ENTITLEMENT_REQUIRED: "ENTITLEMENT_REQUIRED",
  /** A metered allowance of the plan is used up (`details.metric`, `details.limit`). */
  QUOTA_EXCEEDED: "QUOTA_EXCEEDED",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The `data` of every `ConvexError` this project throws. */
export type AppErrorData = {
  code: ErrorCode;
  message: string;
  /** Optional machine-readable detail, e.g. `retryAfterMs` for RATE_LIMITED. */
  details?: Record<string, string | number | boolean | null>;
};

/** Build the `ConvexError` for a coded failure the caller must handle. */
export function appError(
  code: ErrorCode,
  message: string,
  details?: AppErrorData["details"],
): ConvexError<AppErrorData> {
  const data: AppErrorData = details === undefined ? { code, message } : { code, message, details };
  return new ConvexError(data);
}

/** True when `e` is a `ConvexError` carrying this project's coded data. */
export function isAppError(e: unknown): e is ConvexError<AppErrorData> {
  if (!(e instanceof ConvexError)) return false;
  const data: unknown = e.data;
  return typeof data === "object" && data !== null && "code" in data && "message" in data;
}
