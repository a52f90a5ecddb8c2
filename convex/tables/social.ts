/**
 * Connections and direct messages (issue 17). A connection is one row per
 * unordered pair (`lo < hi` by id), pending until the addressee accepts.
 * Messages belong to a thread row per pair (its last message, read marks);
 * only connected people may send, and only the two people read a thread.
 */
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const socialTables = {
  connections: defineTable({
    lo: v.id("users"),
    hi: v.id("users"),
    requester: v.id("users"),
    status: v.union(v.literal("pending"), v.literal("accepted"), v.literal("declined")),
    /** Optional note with the request. */
    note: v.optional(v.string()),
    createdAt: v.number(),
    respondedAt: v.optional(v.number()),
  })
    .index("by_pair", ["lo", "hi"])
    .index("by_lo_status", ["lo", "status", "createdAt"])
    .index("by_hi_status", ["hi", "status", "createdAt"]),
  dmThreads: defineTable({
    lo: v.id("users"),
    hi: v.id("users"),
    lastAt: v.number(),
    lastFrom: v.id("users"),
    lastPreview: v.string(),
    messages: v.number(),
    loReadAt: v.number(),
    hiReadAt: v.number(),
  })
    .index("by_pair", ["lo", "hi"])
    .index("by_lo_last", ["lo", "lastAt"])
    .index("by_hi_last", ["hi", "lastAt"]),
  directMessages: defineTable({
    threadId: v.id("dmThreads"),
    from: v.id("users"),
    text: v.string(),
    /** `text` sealed under the sender's key (`lib/personalData.ts`); absent = plaintext. */
    piiSeal: v.optional(v.number()),
    at: v.number(),
    /** The sender's idempotency key: a resent message is stored once. */
    clientKey: v.optional(v.string()),
  })
    .index("by_thread", ["threadId"])
    .index("by_from_key", ["from", "clientKey"]),
};
