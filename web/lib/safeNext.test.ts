import { describe, expect, test } from "vitest";
import { safeNext, signInHref } from "./safeNext";

describe("safeNext: only same-origin relative paths", () => {
  test("keeps app paths with their query and fragment", () => {
    expect(safeNext("/meetings/abc123")).toBe("/meetings/abc123");
    expect(safeNext("/invite/tok_en-1?x=1#y")).toBe("/invite/tok_en-1?x=1#y");
    expect(safeNext("/meetings/a/../b")).toBe("/meetings/b");
  });

  test.each([
    null,
    undefined,
    "",
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    " /meetings/x",
    "meetings/x",
    "/sign-in?next=/x",
    "/callback",
    `/${"a".repeat(2001)}`,
  ])("refuses %j", (raw) => {
    expect(safeNext(raw)).toBe("/");
  });

  test("sign-in links carry the path back, encoded", () => {
    expect(signInHref("dev", "/meetings/m1")).toBe("/sign-in?next=%2Fmeetings%2Fm1");
    expect(signInHref("workos", "/meetings/m1?a=b")).toBe(
      "/auth/sign-in?next=%2Fmeetings%2Fm1%3Fa%3Db",
    );
    expect(signInHref("dev", "//evil.example")).toBe("/sign-in");
  });
});
