/**
 * Answering a proposal. A decline (or an answer after the deadline) ends it
 * and returns both people to the queue. When the second person accepts, the
 * meeting is scheduled in the same transaction: at the proposal's slot
 * (inside both windows), hosted by whoever accepted first, with the other
 * invited as a participant, and the reasons and a few openers as its
 * description. The schedule's idempotency key is the proposal id, so racing
 * or retried accepts make exactly one meeting.
 */

import { MAX_DESCRIPTION_LENGTH } from "../../projections/lifecycle/decide";
import { conversationStarters, reasonsFor } from "../../projections/matching/reasons";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { writeAudit } from "../lib/audit";
import { type Refused, refused } from "../lib/results";
import { runSchedule } from "../meetings/lifecycle";
import { personCardOf } from "../profiles/views";
import { entryOf, patchEntry } from "./entries";
import { endProposal, labelsOf, sideOf } from "./proposals";
import { bumpHistory, recordOutcome } from "./state";

/** What an answer leads to. */
export type AnswerOutcome =
  | { ok: true; status: Doc<"matchProposals">["status"]; meetingId: Id<"meetings"> | null }
  | Refused;

/** Reasons that read the same from both sides (shared interests, similarity, history). */
const SYMMETRIC = new Set(["sharedInterests", "similarity", "history"]);

/** The meeting's description: why the two were matched, and openers. */
function description(p: Doc<"matchProposals">, label: (key: string) => string): string {
  const why = reasonsFor(p.factors, "a", label).filter((r) => SYMMETRIC.has(r.factor));
  return [
    "You were matched by Connvo.",
    "",
    "Why:",
    ...why.map((r) => `- ${r.text}`),
    "",
    "To talk about:",
    ...conversationStarters(p.factors, label).map((s) => `- ${s}`),
  ]
    .join("\n")
    .slice(0, MAX_DESCRIPTION_LENGTH);
}

async function scheduleMeeting(
  ctx: MutationCtx,
  p: Doc<"matchProposals">,
  host: Id<"users">,
  guest: Id<"users">,
  now: number,
): Promise<Id<"meetings"> | Refused> {
  const hostUser = await ctx.db.get("users", host);
  if (!hostUser) return refused("NOT_FOUND", "the other person no longer exists");
  // Alphabetical: which of the two is `a` depends on the cycle, the title must not.
  const names = [await personCardOf(ctx, p.a), await personCardOf(ctx, p.b)]
    .map((c) => c?.name.split(" ")[0] ?? "someone")
    .sort((x, y) => x.localeCompare(y));
  const r = await runSchedule(
    ctx,
    hostUser,
    {
      type: "Schedule",
      by: host,
      at: now,
      title: `Connvo match: ${names[0]} & ${names[1]}`,
      description: description(p, await labelsOf(ctx, p)),
      scheduledAt: p.slot.start,
      durationMinutes: Math.round((p.slot.end - p.slot.start) / 60_000),
      orgId: hostUser.orgId,
      invitees: [{ userId: guest, role: "participant" }],
    },
    `match:${p._id}`,
  );
  return r.ok ? r.meetingId : r;
}

/** Answer proposal `p` as `userId` (see the module comment). */
export async function answer(
  ctx: MutationCtx,
  userId: Id<"users">,
  p: Doc<"matchProposals"> | null,
  accept: boolean,
  now: number,
): Promise<AnswerOutcome> {
  if (!p) return refused("NOT_FOUND", "no such proposal");
  const side = sideOf(p, userId);
  if (!side) return refused("FORBIDDEN", "this proposal is not yours");
  const mine = side === "a" ? p.aAnswer : p.bAnswer;
  const wanted = accept ? "accepted" : "declined";
  if (p.status !== "pending") {
    if (mine === wanted) return { ok: true, status: p.status, meetingId: p.meetingId ?? null };
    return refused("CONFLICT", `this proposal is already ${p.status}`);
  }
  if (now > p.deadline) {
    await endProposal(ctx, p, "expired", undefined, now);
    return refused("CONFLICT", "this proposal expired before you answered");
  }
  const answerField = side === "a" ? "aAnswer" : "bAnswer";
  await ctx.db.patch("matchProposals", p._id, { [answerField]: wanted });
  if (!accept) {
    await endProposal(ctx, { ...p, [answerField]: wanted }, "declined", userId, now);
    return { ok: true, status: "declined", meetingId: null };
  }
  const theirs = side === "a" ? p.bAnswer : p.aAnswer;
  if (theirs !== "accepted") return { ok: true, status: "pending", meetingId: null };
  const other = side === "a" ? p.b : p.a;
  const meetingId = await scheduleMeeting(ctx, p, other, userId, now);
  if (typeof meetingId !== "string") return meetingId;
  const accepted = { ...p, [answerField]: wanted, status: "accepted" as const };
  await ctx.db.patch("matchProposals", p._id, { status: "accepted", decidedAt: now, meetingId });
  for (const person of [p.a, p.b]) {
    const entry = await entryOf(ctx, person);
    if (entry && entry.proposalId === p._id) await patchEntry(ctx, entry, { status: "matched" });
  }
  await bumpHistory(ctx, p.a, p.b, { meetings: 1 }, now);
  await recordOutcome(ctx, accepted, { kind: "decision", outcome: "accepted", label: 1 }, now);
  await writeAudit(
    ctx,
    { action: "match.Accepted", outcome: "transition", actorId: userId, meetingId },
    now,
  );
  return { ok: true, status: "accepted", meetingId };
}
