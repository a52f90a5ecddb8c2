/**
 * Personal text at rest (issue 18): sealed under the person's own key, opened
 * by the one helper, plaintext rows from before still read, and a shredded
 * key leaves the sealed rows unreadable (they open as the erased placeholder).
 */
import { describe, expect, test } from "vitest";
import { meetingFixture } from "../../tests/core/fixtures";
import {
  ERASED_NAME,
  ERASED_TEXT,
  openText,
  openTranscriptRow,
  sealText,
  sealTranscriptRow,
  shredKeys,
} from "./personalData";

const chunk = (speakerId: string) => ({
  piiSeal: undefined as number | undefined,
  data: {
    speakerId,
    speaker: "Pia Example",
    text: "the walrus plan",
    confidence: 1,
    startMs: 0,
    endMs: 1,
    isFinal: true,
  },
});

describe("personal data sealing", () => {
  test("a person's text is sealed under their key and opens back; another person has another key", async () => {
    const { t, ids } = await meetingFixture();
    const out = await t.run(async (ctx) => {
      const a = await sealText(ctx, ids.participant, "walrus");
      const b = await sealText(ctx, ids.host, "walrus");
      const keys = await ctx.db.query("personKeys").collect();
      return {
        a,
        b,
        keys: keys.length,
        open: [await openText(ctx, a, "x"), await openText(ctx, b, "x")],
      };
    });
    expect(out.a).not.toContain("walrus");
    expect(out.a.split(":")[1]).not.toBe(out.b.split(":")[1]);
    expect(out.keys).toBe(2);
    expect(out.open).toEqual(["walrus", "walrus"]);
  });

  test("a transcript row seals speaker and text; a plaintext row from before reads as it is; a system speaker is not sealed", async () => {
    const { t, ids } = await meetingFixture();
    const out = await t.run(async (ctx) => {
      const sealed = await sealTranscriptRow(ctx, chunk(ids.participant));
      const system = await sealTranscriptRow(ctx, chunk("system:bot"));
      return {
        sealed,
        system,
        opened: await openTranscriptRow(ctx, sealed),
        legacy: await openTranscriptRow(ctx, chunk(ids.host)),
      };
    });
    expect(out.sealed.piiSeal).toBe(1);
    expect(JSON.stringify(out.sealed)).not.toMatch(/Pia Example|walrus/);
    expect(out.system.piiSeal).toBeUndefined();
    expect(out.opened.data).toMatchObject({ speaker: "Pia Example", text: "the walrus plan" });
    expect(out.opened.piiSeal).toBeUndefined();
    expect(out.legacy.data.text).toBe("the walrus plan");
  });

  test("after the key is shredded, sealed rows open as the erased placeholder; a new key serves new text", async () => {
    const { t, ids } = await meetingFixture();
    const sealed = await t.run(async (ctx) => await sealTranscriptRow(ctx, chunk(ids.participant)));
    const shredded = await t.run(async (ctx) => await shredKeys(ctx, ids.participant));
    expect(shredded).toBe(1);
    const out = await t.run(async (ctx) => {
      const opened = await openTranscriptRow(ctx, sealed);
      const fresh = await sealText(ctx, ids.participant, "new words");
      return { opened, fresh: await openText(ctx, fresh, "x") };
    });
    expect(out.opened.data).toMatchObject({ speaker: ERASED_NAME, text: ERASED_TEXT });
    expect(out.fresh).toBe("new words");
  });
});
