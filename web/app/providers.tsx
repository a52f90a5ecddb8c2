"use client";

import { ConvexProviderWithAuth, ConvexReactClient } from "convex/react";
import { type ReactNode, useState } from "react";
import { EnsureUser } from "../components/EnsureUser";
import { useDevConvexAuth } from "../lib/devSession";

/**
 * One Convex client for the page, authenticated by the local development
 * sign-in. The URL arrives from the server at request time (see
 * `lib/serverConfig.ts`).
 */
export function Providers({ convexUrl, children }: { convexUrl: string; children: ReactNode }) {
  const [client] = useState(() => new ConvexReactClient(convexUrl, { verbose: false }));
  return (
    <ConvexProviderWithAuth client={client} useAuth={useDevConvexAuth}>
      <EnsureUser />
      {children}
    </ConvexProviderWithAuth>
  );
}
