"use client";

import { usePathname } from "next/navigation";
import { type ReactNode, useEffect } from "react";
import { CACHE_PAGE_MESSAGE } from "../sw/pages";
import { registerWithRetry } from "./serviceWorkerRegistration";

/** Waits after each request to keep this page before checking it was kept and asking again. */
const KEEP_RETRY_MS = [2_000, 4_000, 8_000, 8_000, 8_000];

/** Where `app/serwist/[path]/route.ts` serves the worker built from `sw/sw.ts`. */
const SW_URL = "/serwist/sw.js";

/**
 * Keeps the page the person is on for offline start-up: the worker caches
 * pages loaded through it, but not the page that registered it (loaded before
 * it existed) nor pages reached by client-side navigation (those load React
 * Server Component payloads, not the page). For those, ask it to fetch and
 * cache this page.
 */
function CacheThisPage() {
  const pathname = usePathname();
  useEffect(() => {
    if (!("serviceWorker" in navigator) || !navigator.onLine) return;
    let live = true;
    const url = `${pathname}${location.search}`;
    // Ask until the copy is kept: on a first visit the worker may still be installing (it
    // precaches the build), and its fetch of this page can fail on a loaded server. Whether
    // the worker served this page is read from the cache, not from `controller`: a worker
    // that installs while the page hydrates claims it before this effect runs, yet it never
    // saw the page's request (seen as a flaky offline test under load).
    void (async () => {
      for (const waitMs of KEEP_RETRY_MS) {
        const registration = await navigator.serviceWorker.ready;
        if (!live || (await caches.match(url))) return;
        registration.active?.postMessage({ type: CACHE_PAGE_MESSAGE, url });
        await new Promise((r) => setTimeout(r, waitMs));
      }
    })();
    return () => {
      live = false;
    };
  }, [pathname]);
  return null;
}

/** Registers the worker once per page load, retrying a failed install (see `registerWithRetry`). */
function RegisterWorker() {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    return registerWithRetry(navigator.serviceWorker, SW_URL, (attempt, error) => {
      if (error)
        console.warn(`offline start-up: service worker attempt ${attempt + 1} failed`, error);
    });
  }, []);
  return null;
}

/**
 * Registers the service worker (production builds only: under `next dev` it
 * would serve stale chunks) that lets the app start offline; see `sw/sw.ts`.
 * No reload when the network returns: the notes sync live.
 */
export function OfflineSupport({ children }: { children: ReactNode }) {
  if (process.env.NODE_ENV !== "production") return children;
  return (
    <>
      <RegisterWorker />
      <CacheThisPage />
      {children}
    </>
  );
}
