/**
 * Audit log rows: authorization denials and state transitions. Only mutations
 * write them (queries cannot write), and a denial row survives only because
 * the mutation answers with a coded result instead of throwing.
 */
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { appError } from "./errors";
import type { Refused } from "./results";

/** Why: a detail is a short human note, not a payload dump. */
const MAX_DETAIL_LENGTH = 500;

/** One audit entry. */
export type AuditEntry = {
  action: string;
  outcome: "denied" | "transition" | "admin";
  actorId?: Id<"users">;
  meetingId?: Id<"meetings">;
  code?: string;
  detail?: string;
  orgId?: Id<"orgs">;
  /** An operator change: who (operator tools name themselves) and why. */
  operator?: string;
  reason?: string;
};

/** Write one audit row at `at` (server ms). */
export async function writeAudit(
  ctx: MutationCtx,
  entry: AuditEntry,
  at: number = Date.now(),
): Promise<void> {
  const row = { ...entry, at };
  if (row.detail !== undefined && row.detail.length > MAX_DETAIL_LENGTH) {
    row.detail = `${row.detail.slice(0, MAX_DETAIL_LENGTH - 1)}…`;
  }
  await ctx.db.insert("auditLog", row);
}

/** Audit a refusal of `action` to `actorId` and answer it as a value. */
export async function auditRefusal(
  ctx: MutationCtx,
  actorId: Id<"users">,
  action: string,
  meetingId: Id<"meetings"> | undefined,
  r: Refused,
  at: number = Date.now(),
): Promise<Refused> {
  await writeAudit(
    ctx,
    { action, outcome: "denied", actorId, meetingId, code: r.code, detail: r.message },
    at,
  );
  return r;
}

/**
 * The operator's name and reason an operator change must give, trimmed;
 * VALIDATION_ERROR when either is missing or too long.
 */
export function operatorNote(
  operator: string,
  reason: string,
): { operator: string; reason: string } {
  const o = operator.trim();
  const r = reason.trim();
  if (o.length < 1 || o.length > 100)
    throw appError("VALIDATION_ERROR", "name the operator (1–100 characters)");
  if (r.length < 3 || r.length > 500)
    throw appError("VALIDATION_ERROR", "give a reason (3–500 characters)");
  return { operator: o, reason: r };
}
