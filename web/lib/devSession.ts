"use client";

import { useCallback, useMemo, useRef, useSyncExternalStore } from "react";
import type { DevUser } from "./devUsers";

/** Where the chosen development identity is kept in this browser. */
const KEY = "connvo.devUser";
/**
 * The last development token, kept so a page started offline hands the Convex
 * client a token to present when the connection returns (an expired one is
 * refused and replaced by a fresh one then). Development tokens are minted for
 * anyone who asks, so keeping one here gives nothing away.
 */
const TOKEN_KEY = "connvo.devToken";

function storedToken(subject: string): string | null {
  try {
    const v = JSON.parse(window.localStorage.getItem(TOKEN_KEY) ?? "null") as {
      subject?: unknown;
      token?: unknown;
    } | null;
    return v?.subject === subject && typeof v.token === "string" ? v.token : null;
  } catch {
    return null;
  }
}

function storeToken(subject: string, token: string): void {
  try {
    window.localStorage.setItem(TOKEN_KEY, JSON.stringify({ subject, token }));
  } catch {
    // Storage full or blocked: the page still works online.
  }
}
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) onChange();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onStorage);
  };
}

/** Sign this browser in as `user` (local development sign-in only). */
export function signInAs(user: DevUser): void {
  window.localStorage.setItem(KEY, JSON.stringify(user));
  for (const l of listeners) l();
}

/** Forget the development identity of this browser. */
export function signOut(): void {
  window.localStorage.removeItem(KEY);
  window.localStorage.removeItem(TOKEN_KEY);
  for (const l of listeners) l();
}

function parse(raw: string | null): DevUser | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<DevUser>;
    if (typeof v.subject === "string" && typeof v.name === "string") {
      return {
        subject: v.subject,
        name: v.name,
        email: v.email ?? "",
        ...(typeof v.emailVerified === "boolean" ? { emailVerified: v.emailVerified } : {}),
      };
    }
  } catch {
    // A damaged entry means nobody is signed in.
  }
  return null;
}

/** The development identity of this browser; `undefined` while rendering on the server. */
export function useDevUser(): DevUser | null | undefined {
  const raw = useSyncExternalStore(subscribe, read, () => undefined);
  return useMemo(() => (raw === undefined ? undefined : parse(raw)), [raw]);
}

/**
 * The auth hook `ConvexProviderWithAuth` calls in development: it mints a JWT
 * for the chosen demo identity from the engine's development issuer (through
 * this app's `/api/dev-auth/token`, so the browser needs no CORS access to the
 * engine). When the issuer cannot be reached (offline) it returns the last
 * token it had (kept in this browser, so a page started offline has one too),
 * and the identity holds until the connection returns.
 */
export function useDevConvexAuth() {
  const user = useDevUser();
  const last = useRef<{ subject: string; token: string } | null>(null);
  const subject = user?.subject;
  const name = user?.name;
  const email = user?.email;
  const emailVerified = user?.emailVerified;
  const fetchAccessToken = useCallback(
    async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
      if (!subject) return null;
      const cached = last.current?.subject === subject ? last.current.token : storedToken(subject);
      if (cached && !forceRefreshToken) return cached;
      try {
        const res = await fetch("/api/dev-auth/token", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ subject, name, email, emailVerified }),
        });
        if (!res.ok) return cached;
        const body = (await res.json()) as { token?: unknown };
        if (typeof body.token !== "string") return cached;
        last.current = { subject, token: body.token };
        storeToken(subject, body.token);
        return body.token;
      } catch {
        return cached;
      }
    },
    [subject, name, email, emailVerified],
  );
  return useMemo(
    () => ({
      isLoading: user === undefined,
      isAuthenticated: Boolean(user),
      fetchAccessToken,
    }),
    [user, fetchAccessToken],
  );
}
