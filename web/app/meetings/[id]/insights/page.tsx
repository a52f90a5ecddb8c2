"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { ErrorBoundary } from "../../../../components/ErrorBoundary";
import { InsightsView } from "../../../../components/InsightsView";
import { RequireSignIn } from "../../../../components/RequireSignIn";
import type { MeetingId } from "../../../../lib/api";

/** `/meetings/:id/insights` — insights after the meeting. */
export default function InsightsPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <div className="page" style={{ maxWidth: "80rem" }}>
      <RequireSignIn>
        <ErrorBoundary
          fallback={(message, code) => (
            <div className="card narrow">
              <h1>
                {code === "FORBIDDEN" ? "You cannot read these insights" : "Insights unavailable"}
              </h1>
              <p role="alert" className="error" data-error-code={code}>
                {message}
              </p>
              <Link href="/">Back to your meetings</Link>
            </div>
          )}
        >
          <InsightsView meetingId={id as MeetingId} />
        </ErrorBoundary>
      </RequireSignIn>
    </div>
  );
}
