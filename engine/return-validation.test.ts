import { queryGeneric } from "convex/server";
import { v } from "convex/values";
import { describe, expect, it } from "vitest";
import { checkReturnsInHandler, matches, mismatch, type ValidatorJson } from "./return-validation";

/** A validator's serialized form (what `exportReturns()` carries). */
const json = (validator: unknown) => (validator as { json: ValidatorJson }).json;

const page = json(
  v.object({
    segments: v.array(
      v.object({ speaker: v.union(v.string(), v.null()), note: v.optional(v.string()) }),
    ),
    owner: v.id("users"),
    data: v.bytes(),
    kind: v.union(v.literal("a"), v.literal("b")),
    nextIndex: v.union(v.number(), v.null()),
  }),
);
const good = {
  segments: [{ speaker: null }, { speaker: "Ann", note: "x" }],
  owner: "123users",
  data: new ArrayBuffer(2),
  kind: "b",
  nextIndex: null,
};

describe("return-value check without exceptions", () => {
  it("accepts what convex-test accepts: nullable unions, optional fields, ids, bytes, literals", () => {
    expect(matches(page, good)).toBe(true);
    expect(mismatch(page, good)).toBeNull();
  });

  it("refuses with convex-test's wording, naming the first mismatch", () => {
    const cases: Array<[unknown, string]> = [
      [{ ...good, extra: 1 }, "Validator error: Unexpected field `extra` in object"],
      [
        { ...good, owner: "123meetings" },
        'Validator error: Expected ID for table "users", got `123meetings`',
      ],
      [{ ...good, data: "no" }, "Validator error: Expected `ArrayBuffer`, got `no`"],
      [{ ...good, segments: [{}] }, "Validator error: Missing required field `speaker` in object"],
      [{ ...good, kind: "c" }, 'Validator error: Expected one of literal, literal, got `"c"`'],
      [new Map(), "Validator error: Expected a plain old JavaScript `object`, got `[object Map]`"],
      [null, "Validator error: Expected a plain old JavaScript `object`, got `null`"],
    ];
    for (const [value, message] of cases) {
      expect(matches(page, value)).toBe(false);
      expect(mismatch(page, value)).toBe(message);
    }
  });

  it("moves a query's check into its handler and stops convex-test's second check", async () => {
    const fn = queryGeneric({
      args: {},
      returns: v.union(v.number(), v.null()),
      handler: (async () => "x") as unknown as () => Promise<number>,
    });
    const exported = fn as unknown as Parameters<typeof checkReturnsInHandler>[0];
    checkReturnsInHandler(exported, "m:f");
    expect(exported.exportReturns?.()).toBe("null");
    await expect(exported._handler?.({}, {})).rejects.toThrow(
      'Return value validation failed for query "m:f":\nValidator error: Expected one of number, null, got `"x"`',
    );
    const none = queryGeneric({ args: {}, returns: v.null(), handler: async () => undefined });
    const plain = none as unknown as Parameters<typeof checkReturnsInHandler>[0];
    checkReturnsInHandler(plain, "m:g");
    await expect(plain._handler?.({}, {})).resolves.toBeUndefined();
  });
});
