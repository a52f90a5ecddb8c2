/**
 * A call the engine starts runs as itself, whatever async context it was
 * started from. The runtime (convex-test) keeps the running function's
 * identity, component and transaction in AsyncLocalStorage; the engine's own
 * work is often triggered from inside a function (a commit listener reruns
 * subscriptions, for instance, while a component's action is committing).
 * Before the fix, such a call ran as a nested call of that function: across the
 * component boundary without the caller's identity (a signed-in subscription
 * turned into UNAUTHORIZED under load and the notes provider went offline).
 */
import { join } from "node:path";
import type { UserIdentity } from "convex/server";
import { describe, expect, it } from "vitest";
import { Backend, type CallOutcome } from "../../engine/backend";

const identity: UserIdentity = {
  tokenIdentifier: "https://issuer.test|ada",
  subject: "ada",
  issuer: "https://issuer.test",
  name: "Ada Lovelace",
  email: "ada@example.com",
  emailVerified: true,
};

describe("engine calls and the caller's async context", () => {
  it("a call started inside a component's transaction runs on its own, with its identity", async () => {
    const backend = await Backend.create(join(process.cwd(), "convex"));
    const ensure = await backend.resolve("users:ensure", "mutation");
    let started: Promise<CallOutcome> | null = null;
    // Start the call from inside a running function of the action retrier
    // component, as a commit listener would; await it after that function ends.
    await backend.transact("actionRetrier", async () => {
      started = backend.call(ensure, {}, identity);
    });
    const outcome = await started!;
    expect(outcome).toMatchObject({ ok: true, value: { name: "Ada Lovelace" } });
    // It committed as a top-level mutation of the app, visible to the next call.
    const again = await backend.call(ensure, {}, identity);
    expect(again).toMatchObject({ ok: true });
    if (outcome.ok && again.ok) {
      expect((again.value as { _id: string })._id).toBe((outcome.value as { _id: string })._id);
    }
  });
});
