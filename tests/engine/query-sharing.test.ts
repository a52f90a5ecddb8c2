/**
 * One query execution serves every subscriber whose query did not read the
 * caller's identity, as Convex's cache does; a query that reads it is shared
 * only within one identity, and a run that starts out shared but reads auth on
 * another branch is not handed to anyone else.
 */
import type { ConvexClient } from "convex/browser";
import { makeFunctionReference, type UserIdentity } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine";
import { authedClient, startFixtureEngine, waitFor } from "./helpers";

type Msg = { body: string };
const list = makeFunctionReference<"query", { channel: string }, Msg[]>("messages:list");
const whoami = makeFunctionReference<"query", Record<string, never>, UserIdentity | null>(
  "messages:whoami",
);
const greeting = makeFunctionReference<"query", { channel: string }, string>("messages:greeting");
const send = makeFunctionReference<"mutation", { channel: string; body: string }, string>(
  "messages:send",
);

let engine: Engine;
const clients: ConvexClient[] = [];
beforeAll(async () => {
  engine = await startFixtureEngine();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await engine.close();
});

function signedIn(subject: string): Promise<ConvexClient> {
  return authedClient(engine, clients, { subject, name: subject });
}

/** Subscribe every client to `query(args)` and wait until each has seen `until`. */
function allSee<T>(
  subs: ConvexClient[],
  subscribe: (c: ConvexClient, cb: (v: T) => void) => () => void,
  until: (v: T, i: number) => boolean,
): Promise<T[]> {
  return Promise.all(
    subs.map((c, i) =>
      waitFor<T>(
        (cb) => subscribe(c, cb),
        (v) => until(v, i),
      ),
    ),
  );
}

describe("query executions shared between subscribers", () => {
  it("runs an identity-free query once per commit for subscribers of different identities", async () => {
    const people = await Promise.all(["ann", "bob", "cyd", "dee"].map((s) => signedIn(s)));
    const keep = people.map((c) => c.onUpdate(list, { channel: "shared" }, () => {}));
    await allSee<Msg[]>(
      people,
      (c, cb) => c.onUpdate(list, { channel: "shared" }, cb),
      () => true,
    );
    const runs = engine.stats().queryRuns;
    await people[0]!.mutation(send, { channel: "shared", body: "one" });
    await allSee<Msg[]>(
      people,
      (c, cb) => c.onUpdate(list, { channel: "shared" }, cb),
      (rows) => rows.some((r) => r.body === "one"),
    );
    // Four subscribers (each also holding a second, identical subscription): one run.
    expect(engine.stats().queryRuns - runs).toBe(1);
    for (const stop of keep) stop();
  });

  it("never shares a query that reads the identity between identities", async () => {
    const people = await Promise.all(["eve", "fay"].map((s) => signedIn(s)));
    const seen = await allSee<UserIdentity | null>(
      people,
      (c, cb) => c.onUpdate(whoami, {}, cb),
      (v) => v !== null,
    );
    expect(seen.map((v) => v?.subject)).toEqual(["eve", "fay"]);
  });

  it("gives each identity its own answer when a shared run reads auth on a new branch", async () => {
    const subjects = ["gus", "hal", "ivy"];
    const people = await Promise.all(subjects.map((s) => signedIn(s)));
    const channel = "branch";
    await people[0]!.mutation(send, { channel, body: "hello" });
    const answers: string[][] = subjects.map(() => []);
    const keep = people.map((c, i) =>
      c.onUpdate(greeting, { channel }, (v) => answers[i]!.push(v)),
    );
    await allSee<string>(
      people,
      (c, cb) => c.onUpdate(greeting, { channel }, cb),
      (v) => v === "hello",
    );
    // The identity-free answer was shared: the next run starts as one caller's.
    const runs = engine.stats().queryRuns;
    await people[0]!.mutation(send, { channel, body: "again" });
    await allSee<string>(
      people,
      (c, cb) => c.onUpdate(greeting, { channel }, cb),
      (v) => v === "again",
    );
    expect(engine.stats().queryRuns - runs).toBe(1);
    // Now the query reads the caller's identity: no one may get another's answer.
    await people[1]!.mutation(send, { channel, body: "personal" });
    await allSee<string>(
      people,
      (c, cb) => c.onUpdate(greeting, { channel }, cb),
      (v, i) => v === subjects[i],
    );
    await waitFor<boolean>(
      (cb) => {
        const t = setInterval(() => cb(answers.every((a, i) => a.includes(subjects[i]!))), 10);
        return () => clearInterval(t);
      },
      (v) => v,
    );
    answers.forEach((seen, i) => {
      const others = subjects.filter((s) => s !== subjects[i]);
      expect(seen.filter((v) => others.includes(v))).toEqual([]);
    });
    for (const stop of keep) stop();
  });
});
