/**
 * Log keys of event rows (`rowKey`): within one transaction (one commitTs
 * group) events fold in the order they were appended, whatever their
 * (random) ids say.
 */
import { describe, expect, test } from "vitest";
import { rowKey } from "./sources";

const byKey = (rows: { _creationTime: number; _id: string }[]) =>
  [...rows].sort((a, b) => (rowKey(a) < rowKey(b) ? -1 : rowKey(a) > rowKey(b) ? 1 : 0));

describe("rowKey", () => {
  test("orders rows by creation time, not by id", () => {
    // One transaction's inserts: creation times 1 µs apart, ids in the opposite order.
    const t0 = 1_764_547_200_000;
    const rows = [
      { _creationTime: t0, _id: "9meetingEvents" },
      { _creationTime: t0 + 0.001, _id: "5meetingEvents" },
      { _creationTime: t0 + 0.002, _id: "1meetingEvents" },
    ];
    expect(byKey([rows[2]!, rows[0]!, rows[1]!])).toEqual(rows);
  });

  test("equal creation times fall back to the id", () => {
    const rows = [
      { _creationTime: 5, _id: "b" },
      { _creationTime: 5, _id: "a" },
    ];
    expect(byKey(rows).map((r) => r._id)).toEqual(["a", "b"]);
  });

  test("keys compare as numbers across magnitudes (fixed width)", () => {
    const small = { _creationTime: 999.5, _id: "z" };
    const large = { _creationTime: 1_000_000_000_000, _id: "a" };
    expect(byKey([large, small])).toEqual([small, large]);
  });
});
