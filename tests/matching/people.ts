/**
 * Test people for matching: provision, onboard with a profile, enter the
 * queue, embed and run cycles — through the real functions on convex-test.
 */
import { afterEach, beforeEach, vi } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { as, type Person, person } from "../core/identities";
import type { TestBackend } from "../harness/convex";

/** A complete default profile; `over` replaces fields. */
export function profileOf(name: string, over: Record<string, unknown> = {}) {
  return {
    displayName: name,
    headline: `${name} builds things`,
    role: "engineering" as const,
    languages: ["en"],
    interests: ["Climate", "Design"],
    skills: ["TypeScript"],
    learning: ["Fundraising"],
    ...over,
  };
}

/** Sign `name` up and finish onboarding; returns their client and user id. */
export async function onboard(
  t: TestBackend,
  name: string,
  over: Record<string, unknown> = {},
  who: Person = person(name),
) {
  const client = as(t, who);
  const { _id } = await client.mutation(api.users.ensure, {});
  const r = await client.mutation(api.profiles.update, {
    ...profileOf(name, over),
    completeOnboarding: true,
  } as never);
  if (!r.ok) throw new Error(`onboarding ${name}: ${r.message}`);
  return { client, userId: _id as Id<"users"> };
}

/** A window from `now + fromMin` for `hours`. */
export function windowFrom(now: number, fromMin = 0, hours = 4) {
  return { start: now + fromMin * 60_000, end: now + fromMin * 60_000 + hours * 3_600_000 };
}

/** Fake timers for the tests of this file: debounced embeds and kicked cycles run on them. */
export function withFakeTimers(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Run every scheduled function (embeds, kicked cycles, shard chains) to completion (fake timers). */
export async function settle(t: TestBackend): Promise<void> {
  await t.finishAllScheduledFunctions(vi.runAllTimers, 10_000);
}

/** Start a cycle now (forced) and run it to completion. */
export async function runCycle(t: TestBackend): Promise<void> {
  await settle(t);
  await t.mutation(internal.matching.cycle.start, { reason: "test", force: true });
  await settle(t);
}
