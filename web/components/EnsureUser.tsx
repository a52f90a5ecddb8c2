"use client";

import { useConvexAuth, useMutation } from "convex/react";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { usersEnsure } from "../lib/api";

const EnsuredContext = createContext(false);

/** Why 4 s: `ensure` answers in milliseconds online; longer means offline or a stalled socket. */
const ENSURE_PATIENCE_MS = 4_000;

/**
 * Whether `users.ensure` has run for this sign-in: the user row exists and
 * pending email invitations of a verified email are claimed, so pages that
 * wait for it never ask for a meeting before the claim made the person a
 * participant.
 */
export function useUserEnsured(): boolean {
  return useContext(EnsuredContext);
}

/** Creates (or refreshes) the signed-in person's user row once per sign-in. */
export function EnsureUser({ children }: { children: ReactNode }) {
  const { isAuthenticated } = useConvexAuth();
  const ensure = useMutation(usersEnsure);
  const done = useRef(false);
  const [ensured, setEnsured] = useState(false);
  useEffect(() => {
    if (!isAuthenticated) {
      done.current = false;
      setEnsured(false);
      return;
    }
    if (done.current) return;
    done.current = true;
    // Offline the mutation waits for the connection: the page opens anyway after a while
    // from what it has (notes in IndexedDB), and the claim lands when it reconnects.
    const patience = setTimeout(() => setEnsured(true), ENSURE_PATIENCE_MS);
    ensure({})
      .then(() => setEnsured(true))
      .catch((e: unknown) => {
        done.current = false;
        setEnsured(true);
        console.warn("users.ensure failed", e);
      })
      .finally(() => clearTimeout(patience));
  }, [isAuthenticated, ensure]);
  return <EnsuredContext.Provider value={ensured}>{children}</EnsuredContext.Provider>;
}
