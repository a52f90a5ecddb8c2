/**
 * The client's room key (`roomKey.ts`) against a fake backend: the key is
 * issued once for a meeting without one; a one-shot call that meets a
 * rotation retries once with the new key; a FORBIDDEN on a key that did not
 * change (the person lost access) goes through; a refused key reaches the
 * subscription. The provider across a real rotation: tests/notes/roomKeyRotation.test.ts.
 */
import { describe, expect, test } from "vitest";
import {
  type KeyAnswer,
  type KeyRefusal,
  keyedSubscription,
  RoomKeys,
  withRoomKey,
} from "./roomKey";

const FORBIDDEN: KeyRefusal = { ok: false, code: "FORBIDDEN", message: "not yours" };

/** A fake `rooms.access` / `rooms.issue`: `answer` is what access says now; `push` notifies the watch. */
function fakeBackend(initial: KeyAnswer) {
  let answer = initial;
  let watcher: ((a: KeyAnswer) => void) | null = null;
  const calls = { fetch: 0, issue: 0 };
  return {
    calls,
    set(a: KeyAnswer, notify: boolean) {
      answer = a;
      if (notify) watcher?.(a);
    },
    backend: {
      watch(onAnswer: (a: KeyAnswer) => void) {
        watcher = onAnswer;
        queueMicrotask(() => onAnswer(answer));
        return () => {
          watcher = null;
        };
      },
      fetch: async () => {
        calls.fetch++;
        return answer;
      },
      issue: async () => {
        calls.issue++;
        answer = { ok: true as const, key: "issued" };
        return { ok: true as const, key: "issued" };
      },
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("room keys on the client", () => {
  test("a meeting without a key gets one issued, once", async () => {
    const f = fakeBackend({ ok: true, key: null });
    const keys = new RoomKeys(f.backend);
    expect(await keys.get()).toEqual({ ok: true, key: "issued" });
    expect(f.calls.issue).toBe(1);
    keys.close();
  });

  test("a one-shot call that meets a rotation retries once with the new key", async () => {
    const f = fakeBackend({ ok: true, key: "k1" });
    const keys = new RoomKeys(f.backend);
    await keys.get();
    f.set({ ok: true, key: "k2" }, false); // rotated; the watch has not answered yet
    const used: string[] = [];
    const r = await withRoomKey(keys, async (k) => {
      used.push(k);
      return k === "k2" ? { ok: true as const } : FORBIDDEN;
    });
    expect(r).toEqual({ ok: true });
    expect(used).toEqual(["k1", "k2"]);
    keys.close();
  });

  test("a FORBIDDEN on a key that did not change goes through (access lost)", async () => {
    const f = fakeBackend({ ok: true, key: "k1" });
    const keys = new RoomKeys(f.backend);
    const seen: unknown[] = [];
    let answer: ((a: unknown) => void) | null = null;
    const subscribed: string[] = [];
    const stop = keyedSubscription(
      keys,
      (k, onAnswer) => {
        subscribed.push(k);
        answer = onAnswer;
        return () => {};
      },
      (a) => seen.push(a),
    );
    await tick();
    answer!(FORBIDDEN);
    await tick();
    expect(seen).toEqual([FORBIDDEN]);
    expect(subscribed).toEqual(["k1"]);
    stop();
    keys.close();
  });

  test("a rotation announced by the watch moves the subscription; a refused key is passed on", async () => {
    const f = fakeBackend({ ok: true, key: "k1" });
    const keys = new RoomKeys(f.backend);
    const seen: unknown[] = [];
    const subscribed: string[] = [];
    const stopped: string[] = [];
    const stop = keyedSubscription(
      keys,
      (k, onAnswer) => {
        subscribed.push(k);
        onAnswer({ ok: true, from: k });
        return () => stopped.push(k);
      },
      (a) => seen.push(a),
    );
    await tick();
    f.set({ ok: true, key: "k2" }, true);
    expect(subscribed).toEqual(["k1", "k2"]);
    expect(stopped).toEqual(["k1"]);
    f.set(FORBIDDEN, true);
    expect(stopped).toEqual(["k1", "k2"]);
    expect(seen).toEqual([{ ok: true, from: "k1" }, { ok: true, from: "k2" }, FORBIDDEN]);
    stop();
    keys.close();
  });
});
