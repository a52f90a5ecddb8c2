/**
 * A participant edits or dismisses items of their own insights (their copy:
 * others' insights are untouched). Edits survive regeneration (matched by the
 * item's stable id).
 */
import { v } from "convex/values";
import { checkMeetingAccess } from "./lib/access";
import { userMutation } from "./lib/functions";
import { refused, resultValidator } from "./lib/results";
import { readVersionOf } from "./projectors/control";

/** Why: an item is a sentence or two; a longer edit is a note, not an item. */
export const MAX_ITEM_CHARS = 500;

const section = v.union(
  v.literal("actionItems"),
  v.literal("keyTakeaways"),
  v.literal("decisions"),
  v.literal("followUps"),
  v.literal("recommendations"),
);

/** `text` with control characters turned into spaces. */
function stripControls(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    out += c < 0x20 || c === 0x7f ? " " : ch;
  }
  return out;
}

/** Edit the text of, dismiss or restore one item of the caller's insights. */
export const update = userMutation({
  args: {
    meetingId: v.id("meetings"),
    section,
    itemId: v.string(),
    text: v.optional(v.string()),
    status: v.optional(v.union(v.literal("open"), v.literal("dismissed"))),
  },
  returns: resultValidator({}),
  handler: async (ctx, { meetingId, section, itemId, text, status }) => {
    const access = await checkMeetingAccess(ctx, meetingId, "read");
    if (!access.ok) return refused(access.code, access.message);
    const clean = text === undefined ? undefined : stripControls(text).trim();
    if (text !== undefined && (!clean || clean.length > MAX_ITEM_CHARS)) {
      return refused("VALIDATION_ERROR", `an item's text is 1–${MAX_ITEM_CHARS} characters`);
    }
    if (clean === undefined && status === undefined)
      return refused("VALIDATION_ERROR", "nothing to change");
    const version = await readVersionOf(ctx, "insights");
    const row = await ctx.db
      .query("insights")
      .withIndex("by_meeting_version_user", (q) =>
        q.eq("meetingId", meetingId).eq("version", version).eq("userId", String(ctx.user._id)),
      )
      .unique();
    const items = row?.[section] as { id: string; text: string }[] | undefined;
    if (!row || !items?.some((i) => i.id === itemId))
      return refused("NOT_FOUND", "no such item in your insights");
    const next = items.map((i) =>
      i.id !== itemId
        ? i
        : {
            ...i,
            ...(clean !== undefined ? { text: clean, edited: true } : {}),
            ...(status ? { status } : {}),
          },
    );
    await ctx.db.patch("insights", row._id, { [section]: next });
    return { ok: true as const };
  },
});
