"use client";

import { ErrorBoundary } from "../../components/ErrorBoundary";
import { Connections } from "../../components/matching/Connections";
import { Provisioned } from "../../components/Provisioned";
import { RequireSignIn } from "../../components/RequireSignIn";

/** Connections: requests, your network, suggestions, block lists. */
export default function ConnectionsPage() {
  return (
    <div className="page">
      <RequireSignIn>
        <Provisioned>
          <ErrorBoundary>
            <Connections />
          </ErrorBoundary>
        </Provisioned>
      </RequireSignIn>
    </div>
  );
}
