"use client";

import { ErrorBoundary } from "../../components/ErrorBoundary";
import { Threads } from "../../components/matching/Conversation";
import { Provisioned } from "../../components/Provisioned";
import { RequireSignIn } from "../../components/RequireSignIn";

/** Your conversations. */
export default function MessagesPage() {
  return (
    <div className="page">
      <RequireSignIn>
        <Provisioned>
          <ErrorBoundary>
            <Threads />
          </ErrorBoundary>
        </Provisioned>
      </RequireSignIn>
    </div>
  );
}
