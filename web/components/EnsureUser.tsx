"use client";

import { useConvexAuth, useMutation } from "convex/react";
import { useEffect, useRef } from "react";
import { usersEnsure } from "../lib/api";

/** Creates (or refreshes) the signed-in person's user row once per sign-in. */
export function EnsureUser() {
  const { isAuthenticated } = useConvexAuth();
  const ensure = useMutation(usersEnsure);
  const done = useRef(false);
  useEffect(() => {
    if (!isAuthenticated) {
      done.current = false;
      return;
    }
    if (done.current) return;
    done.current = true;
    ensure({}).catch((e: unknown) => {
      done.current = false;
      console.warn("users.ensure failed", e);
    });
  }, [isAuthenticated, ensure]);
  return null;
}
