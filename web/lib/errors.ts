import { ConvexError } from "convex/values";

/** Plain words for each error code the backend answers with (see `convex/lib/errors.ts`). */
const PLAIN: Record<string, string> = {
  UNAUTHORIZED: "You are not signed in, or your session has expired. Please sign in again.",
  FORBIDDEN: "You do not have access to this. Ask the meeting's host to invite you.",
  NOT_FOUND: "We could not find that. It may have been deleted, or the link is wrong.",
  VALIDATION_ERROR: "Something in the form is not right.",
  RATE_LIMITED: "That was a lot of requests at once. Please wait a moment and try again.",
  CONFLICT: "Someone else changed this at the same time. Please try again.",
  MEETING_NOT_ACTIVE: "This meeting is not live right now.",
  PROVIDER_ERROR: "An outside service did not answer. Please try again shortly.",
  INTERNAL: "Something went wrong on our side. Please try again.",
  ENTITLEMENT_REQUIRED: "Your organization's plan does not include this.",
  QUOTA_EXCEEDED: "Your organization used up this month's allowance on its plan.",
};

/** Plan refusals: the server's message names the plan and the limit, then what to do. */
const PLAN_CODES = new Set(["ENTITLEMENT_REQUIRED", "QUOTA_EXCEEDED"]);
const UPGRADE = " Ask an admin of your organization to upgrade the plan.";

function planText(code: string, message: unknown): string {
  const said =
    typeof message === "string" && message.length > 0
      ? `${message.charAt(0).toUpperCase()}${message.slice(1)}.`
      : PLAIN[code]!;
  return `${said}${UPGRADE}`;
}

/** The coded error data carried by a backend `ConvexError`, when there is one. */
export function errorCode(e: unknown): string | undefined {
  if (e instanceof ConvexError) {
    const data: unknown = e.data;
    if (typeof data === "object" && data !== null && "code" in data) {
      const code = (data as { code: unknown }).code;
      if (typeof code === "string") return code;
    }
  }
  return undefined;
}

/**
 * A sentence a person can act on, for any error a backend call threw: the
 * server's own message for validation errors (it names the field), plain words
 * for every other code, and a generic line for network or unknown failures.
 */
export function plainError(e: unknown): string {
  const code = errorCode(e);
  if (code !== undefined && e instanceof ConvexError) {
    const data = e.data as { message?: unknown };
    if (code === "VALIDATION_ERROR" && typeof data.message === "string") return data.message;
    if (PLAN_CODES.has(code)) return planText(code, data.message);
    return PLAIN[code] ?? (typeof data.message === "string" ? data.message : PLAIN.INTERNAL!);
  }
  if (e instanceof Error && /Could not find public function/.test(e.message)) {
    return "This part is not available on this server yet.";
  }
  if (e instanceof Error && /fetch|network|connect/i.test(e.message)) {
    return "We cannot reach the server. Check your connection; we will retry.";
  }
  return PLAIN.INTERNAL!;
}

/** A refusal a command answered with (`{ ok: false, code, message }`). */
export type Refusal = { ok: false; code: string; message: string };

/** Codes whose server message names exactly what was wrong, so it is shown as is. */
const SPECIFIC = new Set(["VALIDATION_ERROR", "NOT_FOUND", "CONFLICT", "MEETING_NOT_ACTIVE"]);

/** Plain words for a refused command. */
export function refusalText(r: Refusal): string {
  if (PLAN_CODES.has(r.code)) return planText(r.code, r.message);
  if (SPECIFIC.has(r.code) && r.message)
    return r.message.charAt(0).toUpperCase() + r.message.slice(1);
  return PLAIN[r.code] ?? r.message;
}

/** The refusal message of a command result, or null when it succeeded. */
export function failureOf(r: { ok: boolean } | Refusal): string | null {
  return r.ok === false && "code" in r ? refusalText(r as Refusal) : null;
}
