/**
 * The meeting core through the embedded engine with the real Convex clients:
 * dev-issuer tokens, the lifecycle over WebSocket, coded refusals carried as
 * results, thrown `ConvexError` data intact, and a live subscription of a
 * participant that turns into a FORBIDDEN error the moment they are removed.
 */
import type { ConvexClient } from "convex/browser";
import { ConvexError } from "convex/values";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../convex/_generated/api";
import { type Engine, startEngine } from "../../engine/engine";
import { httpClient, signedInClient, tempDataDir } from "../engine/helpers";
import { roomArgs } from "../harness/roomKey";

let engine: Engine;
const clients: ConvexClient[] = [];

beforeAll(async () => {
  // Conflict mode on: appends retry as they would on Convex, and none may fail for good.
  engine = await startEngine({
    port: 0,
    dataDir: tempDataDir(),
    logLevel: "silent",
    crons: false,
    occ: true,
  });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await engine.close();
});

function signedIn(subject: string, name: string): Promise<ConvexClient> {
  return signedInClient(engine, clients, subject, name);
}

describe("meeting core on the engine", () => {
  it("runs the lifecycle, answers refusals as values and cuts off a removed participant's subscription", async () => {
    const host = await signedIn("eng-host", "Hale");
    const guest = await signedIn("eng-guest", "Gus");
    const guestUser = await guest.mutation(api.users.ensure, {});
    const scheduled = await host.mutation(api.meetings.schedule, {
      title: "Engine sync",
      scheduledAt: Date.now(),
      durationMinutes: 30,
      invitees: [{ userId: guestUser._id, role: "participant" }],
    });
    if (!scheduled.ok) throw new Error(scheduled.message);
    const meetingId = scheduled.meetingId;
    expect(await guest.mutation(api.meetings.start, { meetingId })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await host.mutation(api.meetings.start, { meetingId })).toMatchObject({ ok: true });
    expect(await guest.mutation(api.participants.join, { meetingId })).toMatchObject({ ok: true });

    const updates: number[] = [];
    const errors: unknown[] = [];
    const room = await roomArgs(guest, meetingId);
    const seenChunk = new Promise<void>((ok) => {
      guest.onUpdate(
        api.transcripts.stream,
        room,
        (r) => {
          updates.push(r.chunks.length);
          if (r.chunks.length > 0) ok();
        },
        (e) => errors.push(e),
      );
    });
    expect(
      await host.mutation(api.transcripts.append, {
        meetingId,
        interim: false,
        text: "hello engine",
        confidence: 0.9,
        startMs: 0,
        endMs: 500,
        idempotencyKey: "e1",
      }),
    ).toEqual({ ok: true, sequences: [1] });
    await seenChunk;

    const cutOff = new Promise<void>((ok) => {
      const timer = setInterval(() => {
        if (errors.length > 0) {
          clearInterval(timer);
          ok();
        }
      }, 20);
    });
    expect(
      await host.mutation(api.participants.remove, { meetingId, userId: guestUser._id }),
    ).toMatchObject({
      ok: true,
    });
    await cutOff;
    const e = errors[0];
    expect(e).toBeInstanceOf(ConvexError);
    expect((e as ConvexError<{ code: string }>).data.code).toBe("FORBIDDEN");
  });

  it("refuses anonymous HTTP calls with UNAUTHORIZED data", async () => {
    const http = httpClient(engine.url);
    const err = await http.query(api.meetings.listMine, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConvexError);
    expect((err as ConvexError<{ code: string }>).data.code).toBe("UNAUTHORIZED");
  });

  it("ran with Convex's conflict checks and no mutation failed for good", () => {
    const stats = engine.occStats();
    expect(stats.checked).toBeGreaterThan(0);
    expect(stats.failures).toBe(0);
  });
});
