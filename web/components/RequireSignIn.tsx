"use client";

import { useConvexAuth } from "convex/react";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { useOffline } from "../lib/connectivity";
import { useMe } from "../lib/me";
import { signInHref } from "../lib/safeNext";
import { useUserEnsured } from "./EnsureUser";

/** The current path with its query and fragment (where to come back to after signing in). */
function useHere(): string {
  const pathname = usePathname();
  const [here, setHere] = useState(pathname);
  useEffect(() => {
    // Re-read on each route change: `pathname` lacks the query and fragment.
    setHere(`${pathname}${window.location.search}${window.location.hash}`);
  }, [pathname]);
  return here;
}

/**
 * Renders `children` only for a signed-in person; otherwise a way to sign in.
 * Offline (see `useOffline`) a person this browser knows gets `children` at
 * once, without waiting for the server to confirm the sign-in: pages then show
 * what the device has, and they stay shown (not a "Loading…" flash that would
 * remount them) until the server has confirmed it after the connection returns.
 */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { me: user, mode } = useMe();
  const { isAuthenticated, isLoading } = useConvexAuth();
  const ensured = useUserEnsured();
  const here = useHere();
  const offline = useOffline();
  const confirmed = isAuthenticated && ensured;
  const [workingOffline, setWorkingOffline] = useState(false);
  useEffect(() => {
    if (confirmed) setWorkingOffline(false);
    else if (user && offline) setWorkingOffline(true);
    // Back online and the server refused the sign-in: say so (below) rather than go on.
    else if (!offline && !isLoading && !isAuthenticated) setWorkingOffline(false);
  }, [confirmed, user, offline, isLoading, isAuthenticated]);
  if (user && !confirmed && (offline || workingOffline)) return <>{children}</>;
  if (user === undefined || (user && isLoading) || (user && isAuthenticated && !ensured)) {
    return <p className="muted">Loading…</p>;
  }
  if (!user) {
    return (
      <section className="card narrow">
        <h1>Sign in to continue</h1>
        <p>You need to be signed in to see this. You will come back here afterwards.</p>
        <a className="button" href={signInHref(mode, here)} data-testid="sign-in-to-continue">
          Sign in
        </a>
      </section>
    );
  }
  if (!isAuthenticated) {
    return (
      <p role="alert" className="error">
        We could not sign you in: the sign-in service did not accept this identity. Check that the
        engine is running, then reload.
      </p>
    );
  }
  return <>{children}</>;
}
