/**
 * Schema validation of written documents in the engine (`engine/doc-validation.ts`):
 * documents a union accepts are written; a document no branch accepts, a missing
 * field or an extra field on insert, patch and replace fails with convex-test's own
 * message, and nothing is written.
 */
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { convexTest } from "convex-test";
import { describe, expect, it } from "vitest";
import { installHooks } from "../../engine/internals";

installHooks();

const schema = defineSchema({
  rows: defineTable({
    kind: v.string(),
    data: v.union(
      v.object({ x: v.number() }),
      v.object({ y: v.string(), z: v.optional(v.array(v.union(v.null(), v.boolean()))) }),
    ),
  }),
});
const modules = { "/q/_generated/api.js": async () => ({}) };

describe("document validation", () => {
  it("writes what the schema accepts and refuses the rest with convex-test's message", async () => {
    const t = convexTest(schema, modules);
    const id = await t.run(async (ctx) => {
      await ctx.db.insert("rows", { kind: "a", data: { x: 1 } });
      return await ctx.db.insert("rows", { kind: "b", data: { y: "s", z: [null, true] } });
    });
    await expect(
      t.run(
        async (ctx) => void (await ctx.db.insert("rows", { kind: "c", data: { y: 2 } } as never)),
      ),
    ).rejects.toThrow(/Validator error: Expected one of object, object/);
    await expect(
      t.run(async (ctx) => void (await ctx.db.insert("rows", { data: { x: 1 } } as never))),
    ).rejects.toThrow(/Missing required field `kind` in object/);
    await expect(
      t.run(async (ctx) => await ctx.db.patch(id, { extra: 1 } as never)),
    ).rejects.toThrow(/Unexpected field `extra` in object/);
    await expect(
      t.run(async (ctx) => await ctx.db.replace(id, { kind: "b", data: { z: [1] } } as never)),
    ).rejects.toThrow(/Validator error/);
    const rows = await t.run(async (ctx) => await ctx.db.query("rows").collect());
    expect(rows.map((r) => r.kind).sort()).toEqual(["a", "b"]);
    expect(rows.find((r) => r.kind === "b")?.data).toEqual({ y: "s", z: [null, true] });
  });
});
