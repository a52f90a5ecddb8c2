"use client";

import { useConvexAuth, useMutation } from "convex/react";
import { type ReactNode, useEffect, useState } from "react";
import { usersEnsure } from "../lib/api";
import { useOffline } from "../lib/connectivity";
import { plainError } from "../lib/errors";

/**
 * Renders `children` once the signed-in person's user row exists (queries
 * need it): calls `users.ensure` (idempotent) and waits for it. Use inside
 * `RequireSignIn` on pages a brand-new person may open first.
 */
export function Provisioned({
  children,
  quietOffline = false,
}: {
  children: ReactNode;
  /** Offline, show nothing (the page says what it can do offline itself). */
  quietOffline?: boolean;
}) {
  const { isAuthenticated } = useConvexAuth();
  const ensure = useMutation(usersEnsure);
  const offline = useOffline();
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
  // Offline `users.ensure` waits for the connection: say so rather than "Loading…" forever.
  if (state === "waiting" && offline) {
    return quietOffline ? null : (
      <p className="muted">You are offline: this shows when you are back online.</p>
    );
  }
  if (state === "waiting") return <p className="muted">Loading…</p>;
  return (
    <p role="alert" className="error">
      {state}
    </p>
  );
}
