/**
 * Coded results for mutations. A mutation that throws rolls back every write,
 * rate-limit tokens and audit rows included; so the meeting core's mutations
 * answer refusals (FORBIDDEN, CONFLICT, RATE_LIMITED, …) as
 * `{ ok: false, code, message }` values and keep their writes. Missing
 * authentication still throws UNAUTHORIZED (there is no one to charge).
 */
import { type Infer, type PropertyValidators, v } from "convex/values";
import { ErrorCode } from "./errors";

/** Validator of an `ErrorCode`. */
export const errorCodeValidator = v.union(
  v.literal(ErrorCode.UNAUTHORIZED),
  v.literal(ErrorCode.FORBIDDEN),
  v.literal(ErrorCode.NOT_FOUND),
  v.literal(ErrorCode.VALIDATION_ERROR),
  v.literal(ErrorCode.RATE_LIMITED),
  v.literal(ErrorCode.CONFLICT),
  v.literal(ErrorCode.MEETING_NOT_ACTIVE),
  v.literal(ErrorCode.PROVIDER_ERROR),
  v.literal(ErrorCode.INTERNAL),
  v.literal(ErrorCode.ENTITLEMENT_REQUIRED),
  v.literal(ErrorCode.QUOTA_EXCEEDED),
);

/** Validator of a refusal. */
export const refusedValidator = v.object({
  ok: v.literal(false),
  code: errorCodeValidator,
  message: v.string(),
  /** For RATE_LIMITED: how long to wait before retrying. */
  retryAfterMs: v.optional(v.number()),
});

/** A refusal answered as a value. */
export type Refused = Infer<typeof refusedValidator>;

/** `returns` validator: `{ ok: true, ...fields }` or a {@link Refused}. */
export function resultValidator<F extends PropertyValidators>(fields: F) {
  return v.union(v.object({ ok: v.literal(true), ...fields }), refusedValidator);
}

/** Build a refusal. */
export function refused(code: ErrorCode, message: string, retryAfterMs?: number): Refused {
  return retryAfterMs === undefined
    ? { ok: false, code, message }
    : { ok: false, code, message, retryAfterMs };
}
