import { describe, expect, test } from "vitest";
import { isCacheablePage, offlinePageHtml } from "./pages";

const page = (path: string, headers: Record<string, string> = {}) =>
  isCacheablePage(new URL(path, "http://app.test"), new Headers(headers));

describe("which pages the service worker keeps for offline start-up", () => {
  test("keeps the app's pages, with their query", () => {
    expect(page("/")).toBe(true);
    expect(page("/meetings/abc123")).toBe(true);
    expect(page("/meetings/abc123/replay?at=5")).toBe(true);
  });

  test("never keeps API routes, build files, the worker, sign-in steps or RSC payloads", () => {
    expect(page("/api/dev-auth/token")).toBe(false);
    expect(page("/_next/static/chunks/a.js")).toBe(false);
    expect(page("/serwist/sw.js")).toBe(false);
    expect(page("/sign-in?next=/meetings/x")).toBe(false);
    expect(page("/auth/sign-in")).toBe(false);
    expect(page("/callback?code=1")).toBe(false);
    expect(page("/meetings/abc123?_rsc=1x2y")).toBe(false);
    expect(page("/meetings/abc123", { RSC: "1" })).toBe(false);
  });

  test("the page for one never opened says so and links home", () => {
    const html = offlinePageHtml();
    expect(html).toContain("You are offline");
    expect(html).toContain('href="/"');
  });
});
