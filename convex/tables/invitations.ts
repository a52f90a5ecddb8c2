import { defineTable } from "convex/server";
import { v } from "convex/values";

/** Roles an invitation may carry: never `host` (transfer host with `changeRole`). */
export const inviteRole = v.union(
  v.literal("cohost"),
  v.literal("participant"),
  v.literal("observer"),
);

/** Roles an invite link may carry: a link can be forwarded, so never a manager's role. */
export const linkRole = v.union(v.literal("participant"), v.literal("observer"));

/** What a person answered to an invitation. */
export const rsvpResponse = v.union(v.literal("accepted"), v.literal("declined"));

/** What a mail is about. */
export const mailKind = v.union(v.literal("invitation"), v.literal("reminder"), v.literal("recap"));

/**
 * Getting people into a meeting (issue 21): invitations by email (pending until a
 * verified account with that email signs in), invite links (only a SHA-256 of the
 * token is stored), RSVPs, and the mail outbox (also the local dev mailbox).
 */
export const invitationTables = {
  /**
   * Reminders scheduled for a person and a meeting start: one set per (meeting, email, start),
   * so inviting someone again does not schedule a second set (the first still fires, and checks
   * at that time whether the person is still invited). A moved meeting is a new start.
   */
  reminderPlans: defineTable({
    meetingId: v.id("meetings"),
    email: v.string(),
    scheduledAt: v.number(),
  })
    .index("by_meeting_email_start", ["meetingId", "email", "scheduledAt"])
    .index("by_email", ["email"]),
  /** An invitation to an email address; claimed at sign-in by a verified account with it. */
  emailInvitations: defineTable({
    meetingId: v.id("meetings"),
    /** Lower-cased, trimmed. */
    email: v.string(),
    role: inviteRole,
    invitedBy: v.id("users"),
    status: v.union(
      v.literal("pending"),
      v.literal("claimed"),
      v.literal("revoked"),
      /** The claim was refused (meeting ended, inviter no longer a manager, …): see `note`. */
      v.literal("void"),
    ),
    createdAt: v.number(),
    claimedBy: v.optional(v.id("users")),
    settledAt: v.optional(v.number()),
    note: v.optional(v.string()),
  })
    .index("by_email_status", ["email", "status"])
    .index("by_meeting_status", ["meetingId", "status"])
    .index("by_meeting_email", ["meetingId", "email"]),
  /** An invite link: the token is shown once to its maker; only its SHA-256 is stored. */
  inviteLinks: defineTable({
    meetingId: v.id("meetings"),
    /** Hex SHA-256 of the token. */
    tokenHash: v.string(),
    role: linkRole,
    createdBy: v.id("users"),
    createdAt: v.number(),
    expiresAt: v.number(),
    /** How many different people may join with it (1 = single use). */
    maxUses: v.number(),
    uses: v.number(),
    revokedAt: v.optional(v.number()),
  })
    .index("by_token_hash", ["tokenHash"])
    .index("by_meeting", ["meetingId", "createdAt"]),
  /** Who joined with which link (one row per person and link: opening it again uses nothing). */
  inviteLinkUses: defineTable({
    linkId: v.id("inviteLinks"),
    userId: v.id("users"),
    at: v.number(),
  }).index("by_link_user", ["linkId", "userId"]),
  /** A person's answer to a meeting invitation (none yet: no row). */
  meetingRsvps: defineTable({
    meetingId: v.id("meetings"),
    userId: v.id("users"),
    response: rsvpResponse,
    at: v.number(),
  }).index("by_meeting_user", ["meetingId", "userId"]),
  /**
   * Every mail the app sends. With `RESEND_API_KEY` a row is delivered through
   * Resend (`status` queued → sent | failed); without it the row itself is the
   * delivery: the **dev mailbox** (`status: "dev"`), readable in the app.
   */
  mailOutbox: defineTable({
    kind: mailKind,
    meetingId: v.id("meetings"),
    to: v.string(),
    subject: v.string(),
    html: v.string(),
    text: v.string(),
    /** The calendar invitation (RFC 5545 text), attached as `invite.ics`. */
    ics: v.optional(v.string()),
    /** Who caused it (the inviter), for the dev mailbox's "sent by me". */
    sentBy: v.optional(v.id("users")),
    status: v.union(v.literal("dev"), v.literal("queued"), v.literal("sent"), v.literal("failed")),
    providerId: v.optional(v.string()),
    error: v.optional(v.string()),
    attempts: v.optional(v.number()),
    createdAt: v.number(),
    settledAt: v.optional(v.number()),
  })
    .index("by_to", ["to", "createdAt"])
    .index("by_sender", ["sentBy", "createdAt"])
    .index("by_meeting", ["meetingId", "createdAt"]),
};
