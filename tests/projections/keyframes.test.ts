/**
 * Keyframe storage stays proportional to the log for keystroke-level notes:
 * after a large paste, hundreds of single-character updates do not each cost
 * a full snapshot (KEYFRAME_TAIL_RATIO), and `stateAt` still reads back the
 * exact text at instants between keyframes.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { computeStateAt } from "../../convex/timeline";
import { makeConvex } from "../harness/convex";
import { appendNote, createMeeting, drain, withFakeScheduler } from "./fixtures";

withFakeScheduler();

describe("timeline keyframes", () => {
  // Why 600 s: ~25 s on a quiet 2-core machine, several minutes when other suites share it;
  // the bound catches a hang, not slowness (speed is measured in bench/).
  test("a big document typed one key at a time keeps few keyframes, and stateAt is exact", {
    timeout: 600_000,
  }, async () => {
    const t = makeConvex();
    const { meetingId } = await createMeeting(t);
    const doc = new Y.Doc();
    doc.clientID = 5;
    const text = doc.getText("trace");
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    text.insert(0, "lorem ipsum dolor sit amet ".repeat(4000)); // ~108 KB paste
    const typed = "Action item: Ann sends the deck. ".repeat(45);
    for (let i = 0; i < typed.length; i++) text.insert(i, typed[i]!);
    const at = (i: number) => 1_000_000 + i * 100;
    for (const [i, u] of updates.entries()) await appendNote(t, meetingId, at(i), u, 5, i + 1);
    await drain(t);
    const result = await t.run(async (ctx) => {
      const kfs = (await ctx.db.query("timelineKeyframes").collect()).filter(
        (k) => k.kind === "keyframe",
      );
      const mid = await computeStateAt(ctx, meetingId, at(1200));
      return { keyframes: kfs.length, events: updates.length, midText: mid.notes.traceText };
    });
    // 1,486 updates over 149 s would be 3 keyframes by count/time alone (one per 500-event
    // batch); their ~37 KB of tail is under half the ~108 KB snapshot, so the tail rule keeps one.
    expect(result.events).toBe(1 + typed.length);
    expect(result.keyframes).toBe(1);
    const replay = new Y.Doc();
    for (const u of updates.slice(0, 1201)) Y.applyUpdate(replay, u);
    expect(result.midText).toBe(replay.getText("trace").toString());
  });
});
