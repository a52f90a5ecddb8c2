"use client";

import { AuthKitProvider } from "@workos-inc/authkit-nextjs/components";
import { ConvexProviderWithAuth, ConvexReactClient } from "convex/react";
import { type ReactNode, useEffect, useState } from "react";
import { EnsureUser } from "../components/EnsureUser";
import { installCallTimings } from "../lib/callTimings";
import { ConnectivityProvider } from "../lib/connectivity";
import { useDevConvexAuth } from "../lib/devSession";
import { type AuthMode, DevMeProvider } from "../lib/me";
import { useWorkosConvexAuth, WorkosMeProvider } from "../lib/workosAuth";

/**
 * One Convex client for the page, authenticated by WorkOS AuthKit when the
 * deployment configures it, otherwise by the local development sign-in. The
 * URL and the mode arrive from the server at request time (see
 * `lib/serverConfig.ts`).
 */
export function Providers({
  convexUrl,
  authMode,
  children,
}: {
  convexUrl: string;
  authMode: AuthMode;
  children: ReactNode;
}) {
  const [client] = useState(() => new ConvexReactClient(convexUrl, { verbose: false }));
  // Mutation and action round trips, reported each minute for the console's latency panel.
  useEffect(() => installCallTimings(client), [client]);
  if (authMode === "workos") {
    return (
      <AuthKitProvider>
        <ConvexProviderWithAuth client={client} useAuth={useWorkosConvexAuth}>
          <ConnectivityProvider>
            <WorkosMeProvider>
              <EnsureUser>{children}</EnsureUser>
            </WorkosMeProvider>
          </ConnectivityProvider>
        </ConvexProviderWithAuth>
      </AuthKitProvider>
    );
  }
  return (
    <ConvexProviderWithAuth client={client} useAuth={useDevConvexAuth}>
      <ConnectivityProvider>
        <DevMeProvider>
          <EnsureUser>{children}</EnsureUser>
        </DevMeProvider>
      </ConnectivityProvider>
    </ConvexProviderWithAuth>
  );
}
