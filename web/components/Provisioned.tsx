"use client";

import { useConvexAuth, useMutation } from "convex/react";
import { type ReactNode, useEffect, useState } from "react";
import { usersEnsure } from "../lib/api";
import { plainError } from "../lib/errors";

/**
 * Renders `children` once the signed-in person's user row exists (queries
 * need it): calls `users.ensure` (idempotent) and waits for it. Use inside
 * `RequireSignIn` on pages a brand-new person may open first.
 */
export function Provisioned({ children }: { children: ReactNode }) {
  const { isAuthenticated } = useConvexAuth();
  const ensure = useMutation(usersEnsure);
  const [state, setState] = useState<"waiting" | "ready" | string>("waiting");
  useEffect(() => {
    if (!isAuthenticated) return;
    let live = true;
    ensure({}).then(
      () => live && setState("ready"),
      (e: unknown) => live && setState(plainError(e)),
    );
    return () => {
      live = false;
    };
  }, [isAuthenticated, ensure]);
  if (state === "ready") return <>{children}</>;
  if (state === "waiting") return <p className="muted">Loading…</p>;
  return (
    <p role="alert" className="error">
      {state}
    </p>
  );
}
