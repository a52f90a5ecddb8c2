"use client";

import { ErrorBoundary } from "../../components/ErrorBoundary";
import { MeetSomeone } from "../../components/matching/MeetSomeone";
import { Provisioned } from "../../components/Provisioned";
import { RequireSignIn } from "../../components/RequireSignIn";

/** "Meet someone": the matching queue and proposals with their reasons. */
export default function MeetPage() {
  return (
    <div className="page">
      <RequireSignIn>
        <Provisioned>
          <ErrorBoundary>
            <MeetSomeone />
          </ErrorBoundary>
        </Provisioned>
      </RequireSignIn>
    </div>
  );
}
