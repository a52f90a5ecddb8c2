import { defineTable } from "convex/server";
import { v } from "convex/values";

/** Meeting lifecycle states (command side). */
export const meetingStatus = v.union(
  v.literal("scheduled"),
  v.literal("active"),
  v.literal("ended"),
  v.literal("cancelled"),
);
/** Roles inside one meeting. Observers read; everyone else may write notes. */
export const participantRole = v.union(
  v.literal("host"),
  v.literal("cohost"),
  v.literal("participant"),
  v.literal("observer"),
);
/** Where a participant stands in one meeting. */
export const participantStatus = v.union(
  v.literal("invited"),
  v.literal("joined"),
  v.literal("left"),
  v.literal("removed"),
);

/**
 * Meetings and participants: the command-side state that access control and
 * lifecycle decisions read, written in the same transaction as the event that
 * changes it. Read views for clients live in the projections. Owned by the
 * event core (issue 3).
 */
export const meetingTables = {
  meetings: defineTable({
    title: v.string(),
    description: v.optional(v.string()),
    scheduledAt: v.number(),
    durationMinutes: v.number(),
    hostId: v.id("users"),
    orgId: v.optional(v.string()),
    status: meetingStatus,
    startedAt: v.optional(v.number()),
    endedAt: v.optional(v.number()),
    createdAt: v.number(),
  })
    .index("by_host", ["hostId"])
    .index("by_status_scheduledAt", ["status", "scheduledAt"]),
  participants: defineTable({
    meetingId: v.id("meetings"),
    userId: v.id("users"),
    role: participantRole,
    status: participantStatus,
    invitedAt: v.number(),
    joinedAt: v.optional(v.number()),
    leftAt: v.optional(v.number()),
  })
    .index("by_meeting_user", ["meetingId", "userId"])
    .index("by_user", ["userId"]),
};
