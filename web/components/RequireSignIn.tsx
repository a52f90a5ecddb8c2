"use client";

import { useConvexAuth } from "convex/react";
import type { ReactNode } from "react";
import { useMe } from "../lib/me";

/** Renders `children` only for a signed-in person; otherwise a way to sign in. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { me: user, mode } = useMe();
  const { isAuthenticated, isLoading } = useConvexAuth();
  if (user === undefined || (user && isLoading)) {
    return <p className="muted">Loading…</p>;
  }
  if (!user) {
    return (
      <section className="card narrow">
        <h1>Sign in to continue</h1>
        <p>You need to be signed in to see your meetings.</p>
        <a className="button" href={mode === "workos" ? "/auth/sign-in" : "/sign-in"}>
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
