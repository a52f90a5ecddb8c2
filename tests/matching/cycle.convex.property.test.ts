/**
 * Property, through the real Convex functions (convex-test, fake timers):
 * random small queues entered with `matching.enter` (random profiles,
 * constraints and windows) and random blocks (`matching.block`), then two
 * forced cycles started together so their shard actions interleave. After
 * everything settles: nobody is in two pending proposals, every entry marked
 * proposed has exactly its one pending proposal, every proposal satisfies
 * both sides' hard constraints and windows by the independent model, and
 * blocked pairs never match.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { RESPONSE_MS } from "../../projections/matching/queueInput";
import { type Person, person } from "../core/identities";
import { makeConvex } from "../harness/convex";
import { personArb } from "./arbitraries";
import { modelCompatible, slotFits } from "./model";
import { onboard, settle, withFakeTimers } from "./people";

withFakeTimers();

/** As the pure property's people, but "any organisation" is likelier so enough pairs fit. */
const convexPersonArb = fc
  .tuple(
    personArb,
    fc.constantFrom("any", "any", "any", "sameOrg", "otherOrgs") as fc.Arbitrary<
      "any" | "sameOrg" | "otherOrgs"
    >,
  )
  .map(([p, org]) => ({ ...p, org }));

const queueArb = fc.array(convexPersonArb, { minLength: 2, maxLength: 6 }).chain((people) =>
  fc.record({
    people: fc.constant(people),
    blocks: fc.array(
      fc
        .tuple(
          fc.integer({ min: 0, max: people.length - 1 }),
          fc.integer({ min: 0, max: people.length - 1 }),
        )
        .filter(([a, b]) => a !== b),
      { maxLength: 2 },
    ),
  }),
);

describe("matching through the real functions (property)", () => {
  test("racing cycles: one pending proposal per person, all allowed, blocks hold", async () => {
    let made = 0;
    await fc.assert(
      fc.asyncProperty(queueArb, async (q) => {
        const t = makeConvex();
        const now = Date.now();
        const ids: Id<"users">[] = [];
        const clients = [];
        for (const [i, p] of q.people.entries()) {
          const who: Person = { ...person(`P${i}`, p.orgId ?? "org_a") };
          if (p.orgId === null) delete who.orgId;
          const { client, userId } = await onboard(
            t,
            `P${i}`,
            {
              role: p.role ?? "other",
              interests: p.interests.length ? p.interests : ["general"],
              // Everyone speaks English here, so enough pairs fit for proposals to happen;
              // the language constraints (wantLanguages) still bite.
              languages: [...new Set(["en", ...p.languages])],
              skills: p.skills,
              learning: p.learning,
              offersMentoring: p.offersMentoring,
              seeksMentoring: p.seeksMentoring,
            },
            who,
          );
          ids.push(userId);
          clients.push(client);
        }
        for (const [a, b] of q.blocks)
          await clients[a]!.mutation(api.matching.block, { userId: ids[b]!, kind: "block" });
        for (const [i, p] of q.people.entries()) {
          // Windows overlap more often than in the pure property (start within 2 h, 1–5 h long).
          const start = now + (p.startHours % 3) * 3_600_000;
          await clients[i]!.mutation(api.matching.enter, {
            window: { start, end: start + (p.lengthHalfHours + 1) * 1_800_000 },
            durationMinutes: p.duration,
            constraints: {
              interests: p.wantInterests,
              roles: p.wantRoles,
              languages: p.wantLanguages,
              org: p.org,
              allowRepeat: p.allowRepeat,
            },
          });
        }
        await settle(t); // embeddings (and the cycles their arrival kicks)
        await Promise.all([
          t.mutation(internal.matching.cycle.start, { reason: "race-1", force: true }),
          t.mutation(internal.matching.cycle.start, { reason: "race-2", force: true }),
        ]);
        await settle(t);
        const { proposals, entries } = await t.run(async (ctx) => ({
          proposals: await ctx.db.query("matchProposals").collect(),
          entries: await ctx.db.query("matchQueue").collect(),
        }));
        made += proposals.length;
        const pending = proposals.filter((p) => p.status === "pending");
        const count = new Map<string, number>();
        for (const p of pending)
          for (const id of [p.a, p.b]) count.set(id, (count.get(id) ?? 0) + 1);
        for (const n of count.values()) expect(n).toBe(1);
        const byUser = new Map(entries.map((e) => [e.userId, e]));
        for (const e of entries)
          if (e.status === "proposed")
            expect(
              pending.filter(
                (p) => p._id === e.proposalId && (p.a === e.userId || p.b === e.userId),
              ),
            ).toHaveLength(1);
        const blocked = new Set(
          q.blocks.flatMap(([a, b]) => [`${ids[a]}|${ids[b]}`, `${ids[b]}|${ids[a]}`]),
        );
        for (const p of proposals) {
          const a = byUser.get(p.a)!;
          const b = byUser.get(p.b)!;
          const earliest = p.createdAt + RESPONSE_MS;
          expect(modelCompatible(a, b, earliest)).toBe(true);
          expect(slotFits(a, b, p.slot, earliest)).toBe(true);
          expect(blocked.has(`${p.a}|${p.b}`)).toBe(false);
        }
      }),
      { numRuns: 8, seed: 1717 },
    );
    // The runs must exercise proposing at all, or the checks above are empty.
    expect(made).toBeGreaterThan(3);
  }, 120_000);
});
