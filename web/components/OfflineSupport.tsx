"use client";

import { SerwistProvider } from "@serwist/turbopack/react";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useRef } from "react";
import { CACHE_PAGE_MESSAGE } from "../sw/pages";

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
  const first = useRef(true);
  useEffect(() => {
    if (!("serviceWorker" in navigator) || !navigator.onLine) return;
    const servedByWorker = first.current && navigator.serviceWorker.controller !== null;
    first.current = false;
    if (servedByWorker) return;
    let live = true;
    const url = `${pathname}${location.search}`;
    void navigator.serviceWorker.ready.then((registration) => {
      if (live) registration.active?.postMessage({ type: CACHE_PAGE_MESSAGE, url });
    });
    return () => {
      live = false;
    };
  }, [pathname]);
  return null;
}

/**
 * Registers the service worker (production builds only: under `next dev` it
 * would serve stale chunks) that lets the app start offline; see `sw/sw.ts`.
 * No reload when the network returns: the notes sync live.
 */
export function OfflineSupport({ children }: { children: ReactNode }) {
  const disabled = process.env.NODE_ENV !== "production";
  return (
    <SerwistProvider
      swUrl={SW_URL}
      disable={disabled}
      reloadOnOnline={false}
      cacheOnNavigation={false}
      options={{ scope: "/", type: "classic" }}
    >
      {disabled ? null : <CacheThisPage />}
      {children}
    </SerwistProvider>
  );
}
