/**
 * Profiles: owner edits (normalised), others see the public part only,
 * onboarding, validation refusals that store nothing, avatars in Convex
 * storage (function level: upload URL, claim, replace, refuse), a blocked
 * viewer sees nothing, and edits re-embed once after the debounce.
 */
import { describe, expect, test, vi } from "vitest";
import { localHashedProvider } from "../projections/matching/embeddings/localHashed";
import { profileText, textHash } from "../projections/matching/profileText";
import { as, person } from "../tests/core/identities";
import { makeConvex } from "../tests/harness/convex";
import { onboard, settle, withFakeTimers } from "../tests/matching/people";
import { api } from "./_generated/api";

withFakeTimers();

describe("profiles", () => {
  test("the owner edits; others see the public part only, interests by canonical key", async () => {
    const t = makeConvex();
    const ann = as(t, person("Ann"));
    const ben = as(t, person("Ben"));
    const { _id: annId } = await ann.mutation(api.users.ensure, {});
    await ben.mutation(api.users.ensure, {});
    const r = await ann.mutation(api.profiles.update, {
      displayName: "  Ann   Lee ",
      headline: "Founder",
      company: "Acme",
      location: "Lisbon",
      goals: ["Find a co-founder", "Find a co-founder"],
      skills: ["TypeScript", "typescript", "C++"],
      languages: ["EN", "pt"],
      links: [{ label: "Site", url: "https://ann.example" }],
      interests: ["Machine Learning", "Climate", "machine learning"],
    });
    expect(r).toEqual({ ok: true, missing: ["role"], onboarded: false });
    const mine = await ann.query(api.profiles.mine, {});
    expect(mine.public.name).toBe("Ann Lee");
    expect(mine.public.skills).toEqual(["TypeScript", "C++"]);
    expect(mine.public.languages).toEqual(["en", "pt"]);
    expect(mine.public.interests).toEqual([
      { key: "climate", label: "Climate" },
      { key: "machine-learning", label: "Machine Learning" },
    ]);
    expect(mine.goals).toEqual(["Find a co-founder"]);
    expect(mine.location).toBe("Lisbon");
    const seen = await ben.query(api.profiles.get, { userId: annId });
    expect(seen?.headline).toBe("Founder");
    const text = JSON.stringify(seen);
    for (const secret of ["Lisbon", "co-founder", "@example.com"])
      expect(text).not.toContain(secret);
  });

  test("onboarding finishes only when nothing required is missing", async () => {
    const t = makeConvex();
    const c = as(t, person("Oli"));
    const early = await c.mutation(api.profiles.update, {
      displayName: "Oli",
      completeOnboarding: true,
    });
    expect(early).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    expect(early.ok === false && early.message).toMatch(/headline.*role.*languages.*interests/);
    const done = await c.mutation(api.profiles.update, {
      headline: "Designer",
      role: "design",
      languages: ["en"],
      interests: ["Typography"],
      completeOnboarding: true,
    });
    expect(done).toEqual({ ok: true, missing: [], onboarded: true });
    expect((await c.query(api.profiles.mine, {})).onboarded).toBe(true);
  });

  test("bad input is a VALIDATION_ERROR and stores nothing", async () => {
    const t = makeConvex();
    const c = as(t, person("Val"));
    await c.mutation(api.profiles.update, { headline: "Kept" });
    const cases = [
      { bio: "x".repeat(2001) },
      { links: [{ label: "x", url: "javascript:alert(1)" }] },
      { links: [{ label: "x", url: "https://user:pw@evil.example" }] },
      { interests: ["!!!"] },
      { languages: ["english"] },
      { yearsOfExperience: -1 },
      { displayName: "   " },
      { headline: "y".repeat(121), interests: ["Fine"] },
    ];
    for (const args of cases) {
      const r = await c.mutation(api.profiles.update, args);
      expect(r, JSON.stringify(args)).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
    }
    const mine = await c.query(api.profiles.mine, {});
    expect(mine.public.headline).toBe("Kept");
    expect(mine.public.interests).toEqual([]);
  });

  test("a person who blocked the viewer is invisible to them", async () => {
    const t = makeConvex();
    const { client: ann, userId: annId } = await onboard(t, "Ann");
    const { client: ben, userId: benId } = await onboard(t, "Ben");
    expect(await ben.query(api.profiles.get, { userId: annId })).not.toBeNull();
    expect(await ann.mutation(api.matching.block, { userId: benId, kind: "block" })).toEqual({
      ok: true,
    });
    expect(await ben.query(api.profiles.get, { userId: annId })).toBeNull();
    // A do-not-match entry only affects matching.
    await ann.mutation(api.matching.unblock, { userId: benId, kind: "block" });
    await ann.mutation(api.matching.block, { userId: benId, kind: "doNotMatch" });
    expect(await ben.query(api.profiles.get, { userId: annId })).not.toBeNull();
  });

  test("edits re-embed once, after the debounce, with the final text", async () => {
    const t = makeConvex();
    const spy = vi.spyOn(localHashedProvider, "embed");
    const { client, userId } = await onboard(t, "Deb");
    await client.mutation(api.profiles.update, { headline: "One" });
    await client.mutation(api.profiles.update, { headline: "Two" });
    await client.mutation(api.profiles.update, { bio: "Builds compilers." });
    expect(spy).not.toHaveBeenCalled();
    await settle(t);
    expect(spy).toHaveBeenCalledTimes(1);
    const rows = await t.run(async (ctx) => await ctx.db.query("embeddings").collect());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId, modelKey: "local-hash@v1", dimensions: 256 });
    const text = profileText({
      headline: "Two",
      role: "engineering",
      bio: "Builds compilers.",
      skills: ["TypeScript"],
      learning: ["Fundraising"],
      interests: ["Climate", "Design"],
    });
    expect(rows[0]!.textHash).toBe(textHash(text));
    // An unchanged profile is not embedded again.
    await client.mutation(api.profiles.update, { headline: "Two" });
    await settle(t);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});

describe("avatars in Convex storage (function level)", () => {
  const png = (bytes: number) => new Blob([new Uint8Array(bytes)], { type: "image/png" });

  test("upload URL, claim, replace (old file deleted), remove", async () => {
    const t = makeConvex();
    const { client } = await onboard(t, "Ava");
    const url = await client.mutation(api.profiles.generateAvatarUploadUrl, {});
    expect(url).toMatchObject({ ok: true });
    expect(url.ok && url.url).toMatch(/^https?:\/\//);
    const first = await t.run(async (ctx) => await ctx.storage.store(png(100)));
    const set = await client.mutation(api.profiles.setAvatar, { storageId: first });
    expect(set.ok && set.avatarUrl).toBeTruthy();
    expect((await client.query(api.profiles.mine, {})).public.avatarUrl).toBe(
      set.ok ? set.avatarUrl : null,
    );
    const second = await t.run(async (ctx) => await ctx.storage.store(png(200)));
    expect(await client.mutation(api.profiles.setAvatar, { storageId: second })).toMatchObject({
      ok: true,
    });
    expect(await t.run(async (ctx) => await ctx.storage.getUrl(first))).toBeNull();
    expect(await client.mutation(api.profiles.removeAvatar, {})).toEqual({ ok: true });
    expect(await t.run(async (ctx) => await ctx.storage.getUrl(second))).toBeNull();
    expect((await client.query(api.profiles.mine, {})).public.avatarUrl).toBeNull();
  });

  test("someone else's avatar cannot be claimed; oversized files are refused and deleted", async () => {
    const t = makeConvex();
    const { client: ann } = await onboard(t, "Ann");
    const { client: eve } = await onboard(t, "Eve");
    const id = await t.run(async (ctx) => await ctx.storage.store(png(100)));
    await ann.mutation(api.profiles.setAvatar, { storageId: id });
    expect(await eve.mutation(api.profiles.setAvatar, { storageId: id })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    const big = await t.run(async (ctx) => await ctx.storage.store(png(2 * 1024 * 1024 + 1)));
    expect(await eve.mutation(api.profiles.setAvatar, { storageId: big })).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
    });
    expect(await t.run(async (ctx) => await ctx.storage.getUrl(big))).toBeNull();
    expect((await eve.query(api.profiles.mine, {})).public.avatarUrl).toBeNull();
  });
});
