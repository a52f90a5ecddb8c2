/**
 * Which pages the service worker keeps for offline start-up, shared by the
 * worker (`sw.ts`) and the page that asks it to cache where it is
 * (`components/OfflineSupport.tsx`).
 */

/** The Cache Storage cache holding the HTML of the pages opened online. */
export const PAGES_CACHE = "pages";

/** Message a page posts to the worker: `{ type, url }`, cache this page now. */
export const CACHE_PAGE_MESSAGE = "CACHE_PAGE";

/** Paths that are never pages to keep: API routes, build files, the worker itself, sign-in. */
const NOT_PAGES = ["/api/", "/_next/", "/serwist/", "/auth/", "/callback", "/sign-in"];

/**
 * A page worth keeping: a same-origin document that is not an API route, a
 * build file, the worker, a sign-in step, or a React Server Component payload
 * (those vary with the router state; a failed one makes Next load the page
 * in full, which the cache then answers).
 */
export function isCacheablePage(url: URL, headers: Headers): boolean {
  if (NOT_PAGES.some((p) => url.pathname.startsWith(p))) return false;
  if (url.searchParams.has("_rsc") || headers.get("RSC") === "1") return false;
  return true;
}

/** The page answered for a page that was never opened on this device while online. */
export function offlinePageHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline · Connvo meetings</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1f2937}a{color:#2563eb}</style>
</head><body><main>
<h1>You are offline</h1>
<p data-testid="offline-fallback">This page was not opened on this device while it was online, so it is not available offline.
Meetings you opened before still open without a network, with their notes; changes you make there sync when you are back online.</p>
<p><a href="/">Your meetings</a> · <a href="" onclick="location.reload();return false">Try again</a></p>
</main></body></html>`;
}
