/**
 * Getting people into a meeting (issue 21): pending email invitations (see
 * `participants.invite`), invite links, and RSVPs.
 *
 * - `pending` (q, host/cohost): email invitations not yet claimed.
 * - `revokeEmail` (m, host/cohost): withdraw a pending email invitation.
 * - `createLink` (a, host/cohost): a new link (token shown once).
 * - `links` (q, host/cohost), `revokeLink` (m, host/cohost).
 * - `redeemLink` (m, any signed-in person): join the meeting with a link.
 * - `respond` (m, participant): accept or decline (RSVP); `myRsvp` (q) the caller's answer.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { internalMutation, type MutationCtx } from "./_generated/server";
import {
  hashLinkToken,
  isLinkToken,
  LINK_HOURS,
  LINK_USES,
  linkRefusal,
  newLinkToken,
} from "./invitations/links";
import { appUrl } from "./invitations/outbox";
import { checkMeetingAccess, findParticipant, requireMeetingAccess } from "./lib/access";
import { writeAudit } from "./lib/audit";
import { userAction, userMutation, userQuery } from "./lib/functions";
import { type Refused, refused, resultValidator } from "./lib/results";
import { runMeetingCommand } from "./meetings/lifecycle";
import { commandPrologue } from "./meetings/views";
import { inviteRole, linkRole, rsvpResponse } from "./tables/invitations";

/** Why: the people panel shows a meeting's open invitations; a meeting has at most 100 participants. */
const PENDING_LIMIT = 100;
/** Why: a host makes a few links per meeting; the panel lists the latest. */
const LINKS_LIMIT = 50;

/** The meeting's pending email invitations (hosts and co-hosts: they typed these addresses). */
export const pending = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.array(
    v.object({
      _id: v.id("emailInvitations"),
      email: v.string(),
      role: inviteRole,
      createdAt: v.number(),
    }),
  ),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "host", { allowCancelled: true });
    const rows = await ctx.db
      .query("emailInvitations")
      .withIndex("by_meeting_status", (q) => q.eq("meetingId", meetingId).eq("status", "pending"))
      .take(PENDING_LIMIT);
    return rows.map((r) => ({ _id: r._id, email: r.email, role: r.role, createdAt: r.createdAt }));
  },
});

const simpleResult = resultValidator({});

/** Withdraw a pending email invitation (it can no longer be claimed). */
export const revokeEmail = userMutation({
  args: { invitationId: v.id("emailInvitations") },
  returns: simpleResult,
  handler: async (ctx, { invitationId }) => {
    const pre = await commandPrologue(ctx, ctx.user, undefined);
    if (!pre.ok) return pre;
    const inv = await ctx.db.get("emailInvitations", invitationId);
    if (!inv) return refused("NOT_FOUND", "no such invitation");
    const host = await checkMeetingAccess(ctx, inv.meetingId, "host", { allowCancelled: true });
    if (!host.ok) return refused(host.code, host.message);
    if (inv.status !== "pending") return refused("CONFLICT", `this invitation is ${inv.status}`);
    await ctx.db.patch("emailInvitations", invitationId, {
      status: "revoked",
      settledAt: Date.now(),
    });
    await writeAudit(ctx, {
      action: "invitation.RevokeEmail",
      outcome: "transition",
      actorId: ctx.user._id,
      meetingId: inv.meetingId,
    });
    return { ok: true as const };
  },
});

const linkArgs = {
  meetingId: v.id("meetings"),
  role: linkRole,
  expiresInHours: v.optional(v.number()),
  maxUses: v.optional(v.number()),
};

/** Store a new link's hash (the action made the token). */
export const storeLink = internalMutation({
  args: { ...linkArgs, userId: v.id("users"), tokenHash: v.string() },
  returns: resultValidator({ linkId: v.id("inviteLinks"), expiresAt: v.number() }),
  handler: async (ctx, a) => {
    const user = await ctx.db.get("users", a.userId);
    if (!user) return refused("UNAUTHORIZED", "no such user");
    const pre = await commandPrologue(ctx, user, undefined);
    if (!pre.ok) return pre;
    const hours = a.expiresInHours ?? LINK_HOURS.default;
    const uses = a.maxUses ?? LINK_USES.default;
    if (!Number.isFinite(hours) || hours < LINK_HOURS.min || hours > LINK_HOURS.max)
      return refused(
        "VALIDATION_ERROR",
        `expiresInHours must be ${LINK_HOURS.min}–${LINK_HOURS.max}`,
      );
    if (!Number.isInteger(uses) || uses < LINK_USES.min || uses > LINK_USES.max)
      return refused(
        "VALIDATION_ERROR",
        `maxUses must be a whole number ${LINK_USES.min}–${LINK_USES.max}`,
      );
    const host = await checkMeetingAccess({ ...ctx, user }, a.meetingId, "host");
    if (!host.ok) return refused(host.code, host.message);
    if (host.meeting.status !== "scheduled" && host.meeting.status !== "active")
      return refused("CONFLICT", `cannot invite to a meeting that is ${host.meeting.status}`);
    const now = Date.now();
    const expiresAt = now + hours * 3_600_000;
    const linkId = await ctx.db.insert("inviteLinks", {
      meetingId: a.meetingId,
      tokenHash: a.tokenHash,
      role: a.role,
      createdBy: user._id,
      createdAt: now,
      expiresAt,
      maxUses: uses,
      uses: 0,
    });
    await writeAudit(ctx, {
      action: "invitation.CreateLink",
      outcome: "transition",
      actorId: user._id,
      meetingId: a.meetingId,
      detail: `${a.role}, ${uses} use(s), ${hours} h`,
    });
    return { ok: true as const, linkId, expiresAt };
  },
});

/**
 * Make an invite link (hosts and co-hosts). The token is in the answer only:
 * copy it now, it cannot be shown again.
 */
export const createLink = userAction({
  args: linkArgs,
  returns: resultValidator({
    linkId: v.id("inviteLinks"),
    token: v.string(),
    url: v.string(),
    expiresAt: v.number(),
  }),
  handler: async (
    ctx,
    args,
  ): Promise<
    { ok: true; linkId: Id<"inviteLinks">; token: string; url: string; expiresAt: number } | Refused
  > => {
    const token = newLinkToken();
    const r = await ctx.runMutation(internal.invitations.storeLink, {
      ...args,
      userId: ctx.user._id,
      tokenHash: await hashLinkToken(token),
    });
    if (!r.ok) return r;
    return {
      ok: true,
      linkId: r.linkId,
      token,
      url: `${appUrl()}/invite/${token}`,
      expiresAt: r.expiresAt,
    };
  },
});

/** The meeting's links (never their tokens), newest first. */
export const links = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.array(
    v.object({
      _id: v.id("inviteLinks"),
      role: linkRole,
      createdAt: v.number(),
      expiresAt: v.number(),
      maxUses: v.number(),
      uses: v.number(),
      state: v.union(
        v.literal("active"),
        v.literal("revoked"),
        v.literal("expired"),
        v.literal("used"),
      ),
    }),
  ),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "host", { allowCancelled: true });
    const rows = await ctx.db
      .query("inviteLinks")
      .withIndex("by_meeting", (q) => q.eq("meetingId", meetingId))
      .order("desc")
      .take(LINKS_LIMIT);
    // A query's clock: the state may lag expiry until the next change; redeeming re-checks.
    const now = Date.now();
    return rows.map((l) => {
      const why = linkRefusal(l, now);
      const state = !why
        ? ("active" as const)
        : why.reason === "REVOKED"
          ? ("revoked" as const)
          : why.reason === "EXPIRED"
            ? ("expired" as const)
            : ("used" as const);
      return {
        _id: l._id,
        role: l.role,
        createdAt: l.createdAt,
        expiresAt: l.expiresAt,
        maxUses: l.maxUses,
        uses: l.uses,
        state,
      };
    });
  },
});

/** Revoke a link: nobody can join with it any more (people who already did stay). */
export const revokeLink = userMutation({
  args: { linkId: v.id("inviteLinks") },
  returns: simpleResult,
  handler: async (ctx, { linkId }) => {
    const pre = await commandPrologue(ctx, ctx.user, undefined);
    if (!pre.ok) return pre;
    const link = await ctx.db.get("inviteLinks", linkId);
    if (!link) return refused("NOT_FOUND", "no such link");
    const host = await checkMeetingAccess(ctx, link.meetingId, "host", { allowCancelled: true });
    if (!host.ok) return refused(host.code, host.message);
    if (link.revokedAt === undefined) {
      await ctx.db.patch("inviteLinks", linkId, { revokedAt: Date.now() });
      await writeAudit(ctx, {
        action: "invitation.RevokeLink",
        outcome: "transition",
        actorId: ctx.user._id,
        meetingId: link.meetingId,
      });
    }
    return { ok: true as const };
  },
});

/**
 * Join a meeting with an invite link. Unknown token: NOT_FOUND; revoked,
 * expired or used up: FORBIDDEN (the message says which); removed from the
 * meeting: FORBIDDEN. Someone already in the meeting uses nothing.
 */
export const redeemLink = userMutation({
  args: { token: v.string() },
  returns: resultValidator({ meetingId: v.id("meetings"), alreadyIn: v.boolean() }),
  handler: async (ctx, { token }) => {
    const pre = await commandPrologue(ctx, ctx.user, undefined);
    if (!pre.ok) return pre;
    const unknown = refused("NOT_FOUND", "this invite link is not valid");
    if (!isLinkToken(token)) return unknown;
    const tokenHash = await hashLinkToken(token);
    const link = await ctx.db
      .query("inviteLinks")
      .withIndex("by_token_hash", (q) => q.eq("tokenHash", tokenHash))
      .unique();
    if (!link) return unknown;
    const deny = async (r: Refused) => {
      await writeAudit(ctx, {
        action: "invitation.RedeemLink",
        outcome: "denied",
        actorId: ctx.user._id,
        meetingId: link.meetingId,
        code: r.code,
        detail: r.message,
      });
      return r;
    };
    const mine = await findParticipant(ctx, link.meetingId, ctx.user._id);
    if (mine?.status === "removed")
      return await deny(refused("FORBIDDEN", "you were removed from this meeting"));
    // Anyone with a row (left people keep their access) is already in: re-inviting them
    // would change their role (a host who left would lose the meeting's host).
    if (mine) return { ok: true as const, meetingId: link.meetingId, alreadyIn: true };
    const now = Date.now();
    const used = await ctx.db
      .query("inviteLinkUses")
      .withIndex("by_link_user", (q) => q.eq("linkId", link._id).eq("userId", ctx.user._id))
      .unique();
    const why = linkRefusal(used ? { ...link, uses: 0 } : link, now);
    if (why) return await deny(refused("FORBIDDEN", why.message));
    const maker = await ctx.db.get("users", link.createdBy);
    if (!maker) return await deny(refused("FORBIDDEN", "the person who made this link is gone"));
    const r = await runMeetingCommand(
      ctx,
      maker,
      link.meetingId,
      { type: "Invite", by: maker._id, at: now, userId: ctx.user._id, role: link.role },
      `link:${link._id}:${ctx.user._id}:${now}`,
      "invite-link",
    );
    if (!r.ok) return await deny(refused(r.code, `this link cannot be used: ${r.message}`));
    if (!used) {
      await ctx.db.insert("inviteLinkUses", { linkId: link._id, userId: ctx.user._id, at: now });
      await ctx.db.patch("inviteLinks", link._id, { uses: link.uses + 1 });
    }
    await setRsvp(ctx, link.meetingId, ctx.user._id, "accepted", now);
    return { ok: true as const, meetingId: link.meetingId, alreadyIn: false };
  },
});

async function setRsvp(
  ctx: MutationCtx,
  meetingId: Id<"meetings">,
  userId: Id<"users">,
  response: "accepted" | "declined",
  at: number,
): Promise<void> {
  const prior = await ctx.db
    .query("meetingRsvps")
    .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", userId))
    .unique();
  if (prior) await ctx.db.patch("meetingRsvps", prior._id, { response, at });
  else await ctx.db.insert("meetingRsvps", { meetingId, userId, response, at });
}

/** The caller's own answer to the meeting's invitation (null: not answered). */
export const myRsvp = userQuery({
  args: { meetingId: v.id("meetings") },
  returns: v.union(rsvpResponse, v.null()),
  handler: async (ctx, { meetingId }) => {
    await requireMeetingAccess(ctx, meetingId, "read", { allowCancelled: true });
    const row = await ctx.db
      .query("meetingRsvps")
      .withIndex("by_meeting_user", (q) => q.eq("meetingId", meetingId).eq("userId", ctx.user._id))
      .unique();
    return row?.response ?? null;
  },
});

/** Accept or decline an invitation (any participant who was not removed; changeable). */
export const respond = userMutation({
  args: { meetingId: v.id("meetings"), response: rsvpResponse },
  returns: simpleResult,
  handler: async (ctx, { meetingId, response }) => {
    const pre = await commandPrologue(ctx, ctx.user, undefined);
    if (!pre.ok) return pre;
    const access = await checkMeetingAccess(ctx, meetingId, "read");
    if (!access.ok) return refused(access.code, access.message);
    if (access.meeting.status === "ended")
      return refused("CONFLICT", "this meeting has ended; there is nothing to answer");
    await setRsvp(ctx, meetingId, ctx.user._id, response, Date.now());
    return { ok: true as const };
  },
});
