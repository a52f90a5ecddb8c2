/// <reference lib="webworker" />
/**
 * The service worker (built by `@serwist/turbopack` from this file, served at
 * `/serwist/sw.js` with scope `/`): what lets the app start without a network.
 *
 * - The app's static files (`/_next/static/…`, every chunk of the build) are
 *   precached when the worker installs, so the app shell loads offline.
 * - Pages (HTML documents) are network-first into the `pages` cache: every page
 *   the person opened online (each meeting room they visited) opens offline from
 *   its last copy. The page posts `CACHE_PAGE` for the page it is on, because the
 *   very first page load happens before the worker controls the tab.
 * - A page that was never opened here answers with a short offline page.
 * - Nothing else is cached: not `/api/*` (sign-in tokens), not the React Server
 *   Component payloads of client-side navigations (Next falls back to a full
 *   page load when they fail), not the Convex WebSocket. The notes themselves
 *   live in IndexedDB (y-indexeddb + the provider's outbox), not here.
 */
import {
  CacheableResponsePlugin,
  CacheFirst,
  ExpirationPlugin,
  NetworkFirst,
  type PrecacheEntry,
  type RouteMatchCallbackOptions,
  Serwist,
  type SerwistGlobalConfig,
} from "serwist";
import { CACHE_PAGE_MESSAGE, isCacheablePage, offlinePageHtml, PAGES_CACHE } from "./pages";

declare global {
  interface WorkerGlobalScope extends SerwistGlobalConfig {
    __SW_MANIFEST: (PrecacheEntry | string)[] | undefined;
  }
}

declare const self: ServiceWorkerGlobalScope;

/** Why 100 pages: a person's recent meetings and the app's own pages, a few MB at most. */
const MAX_PAGES = 100;

const pages = new NetworkFirst({
  cacheName: PAGES_CACHE,
  plugins: [
    new CacheableResponsePlugin({ statuses: [200] }),
    new ExpirationPlugin({ maxEntries: MAX_PAGES }),
  ],
});

const isPageRequest = ({ request, url, sameOrigin }: RouteMatchCallbackOptions) =>
  sameOrigin && request.mode === "navigate" && isCacheablePage(url, request.headers);

const serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  skipWaiting: true,
  clientsClaim: true,
  runtimeCaching: [
    {
      matcher: isPageRequest,
      handler: async (options) => {
        try {
          return await pages.handle(options);
        } catch {
          return new Response(offlinePageHtml(), {
            status: 503,
            headers: { "content-type": "text/html; charset=utf-8" },
          });
        }
      },
    },
    {
      // Build files are content-hashed: what the precache missed is cached on first use.
      matcher: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("/_next/static/"),
      handler: new CacheFirst({
        cacheName: "next-static",
        plugins: [new ExpirationPlugin({ maxEntries: 200 })],
      }),
    },
  ],
});

/** Caches the page at `href` (same origin) into the pages cache. */
async function cachePage(href: string): Promise<void> {
  const url = new URL(href, self.location.origin);
  if (url.origin !== self.location.origin || !isCacheablePage(url, new Headers())) return;
  const res = await fetch(url, { credentials: "same-origin" });
  if (res.status !== 200 || !res.headers.get("content-type")?.includes("text/html")) return;
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(url.href, res);
}

self.addEventListener("message", (event) => {
  const data = event.data as { type?: unknown; url?: unknown } | null;
  if (data?.type === CACHE_PAGE_MESSAGE && typeof data.url === "string") {
    event.waitUntil(cachePage(data.url).catch(() => undefined));
  }
});

serwist.addEventListeners();
