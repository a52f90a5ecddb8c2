import { describe, expect, test } from "vitest";
import { makeConvex } from "../tests/harness/convex";
import { api } from "./_generated/api";

describe("health", () => {
  test("ping answers without auth", async () => {
    const t = makeConvex();
    expect(await t.query(api.health.ping, {})).toEqual({ ok: true });
  });
});
