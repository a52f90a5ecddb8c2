"use client";

import { useConvexAuth } from "convex/react";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
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

/** Renders `children` only for a signed-in person; otherwise a way to sign in. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { me: user, mode } = useMe();
  const { isAuthenticated, isLoading } = useConvexAuth();
  const ensured = useUserEnsured();
  const here = useHere();
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
