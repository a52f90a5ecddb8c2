"use client";

import { useAccessToken, useAuth } from "@workos-inc/authkit-nextjs/components";
import { type ReactNode, useCallback, useMemo } from "react";
import { MeProvider } from "./me";

/**
 * The auth hook `ConvexProviderWithAuth` calls when WorkOS AuthKit is
 * configured: the AuthKit session's access token (refreshed on demand).
 */
export function useWorkosConvexAuth() {
  const { user, loading } = useAuth();
  const { getAccessToken, refresh } = useAccessToken();
  const fetchAccessToken = useCallback(
    async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
      try {
        const token = forceRefreshToken ? await refresh() : await getAccessToken();
        return token ?? null;
      } catch {
        return null;
      }
    },
    [getAccessToken, refresh],
  );
  return useMemo(
    () => ({ isLoading: loading, isAuthenticated: Boolean(user), fetchAccessToken }),
    [loading, user, fetchAccessToken],
  );
}

/** Provides `useMe()` from the AuthKit session. */
export function WorkosMeProvider({ children }: { children: ReactNode }) {
  const { user, loading, signOut } = useAuth();
  const value = useMemo(() => {
    const name = user
      ? [user.firstName, user.lastName].filter(Boolean).join(" ") || user.email
      : "";
    return {
      me: loading ? undefined : user ? { subject: user.id, name, email: user.email } : null,
      mode: "workos" as const,
      signOut: () => void signOut({ returnTo: "/" }),
    };
  }, [user, loading, signOut]);
  return <MeProvider value={value}>{children}</MeProvider>;
}
