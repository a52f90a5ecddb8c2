/**
 * Regression (a trace replay lost its reader: `notes.pull` answered
 * UNAUTHORIZED to a signed-in subscriber under load): what a commit sets off
 * runs as its own caller, never in the committing call's context. The engine
 * reports a commit from inside the call that made it; a subscription rerun
 * started there, when an action of a component (the AI jobs' action
 * retrier) had committed, ran as a call from that component into the app,
 * which convex-test runs with no identity. Invariant: a query run from a
 * commit listener answers as the same query run on its own (not provisioned,
 * then provisioned), whichever function committed.
 */
import { resolve } from "node:path";
import type { UserIdentity } from "convex/server";
import { describe, expect, it } from "vitest";
import { Backend, type CallOutcome } from "../../engine/backend";

const CONVEX_DIR = resolve(import.meta.dirname, "../../convex");

function answer(o: CallOutcome): string {
  return o.ok ? JSON.stringify(o.value) : JSON.stringify(o.data ?? o.message);
}

describe("commit listeners run in the engine's own context", () => {
  it("a query a component's commit sets off keeps its caller's identity", async () => {
    const backend = await Backend.create(CONVEX_DIR);
    const me = await backend.resolve("users:me", "query");
    const identity: UserIdentity = {
      issuer: "https://listener.test",
      subject: "listener",
      tokenIdentifier: "https://listener.test|listener",
    };
    // Signed in but never provisioned: the answer names the identity's state, not its absence.
    const alone = answer(await backend.call(me, {}, identity));
    expect(alone).toContain("USER_NOT_PROVISIONED");
    const fromListener: Array<Promise<string>> = [];
    const stop = backend.onCommit(() => {
      fromListener.push(backend.call(me, {}, identity).then(answer));
    });
    try {
      // An AI job under the action-retrier component: its action's mutations commit there.
      const call = async (path: string, kind: "query" | "mutation", args: unknown) => {
        const o = await backend.call(await backend.resolve(path, kind), args, identity);
        if (!o.ok) throw new Error(`${path}: ${o.message}`);
        return o.value as Record<string, unknown>;
      };
      await call("users:ensure", "mutation", {});
      const provisioned = answer(await backend.call(me, {}, identity));
      const meeting = await call("meetings:schedule", "mutation", {
        title: "Listener",
        scheduledAt: Date.now(),
        durationMinutes: 30,
        invitees: [],
      });
      const meetingId = meeting.meetingId;
      await call("meetings:start", "mutation", { meetingId });
      expect(
        await call("ai/prompts:trigger", "mutation", { meetingId, reason: "request" }),
      ).toMatchObject({ ok: true });
      const deadline = Date.now() + 30_000;
      for (;;) {
        const listed = await call("ai/prompts:list", "query", { meetingId, kind: "incall" });
        if ((listed.prompts as unknown[]).length > 0 && !listed.generating) break;
        if (Date.now() > deadline) throw new Error("the in-call prompt never arrived");
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 200));
      const answers = await Promise.all(fromListener);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.filter((a) => a !== alone && a !== provisioned)).toEqual([]);
    } finally {
      stop();
    }
  });
});
