"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { ErrorBoundary } from "../../../../components/ErrorBoundary";
import { ReplayView } from "../../../../components/ReplayView";
import { RequireSignIn } from "../../../../components/RequireSignIn";
import type { MeetingId } from "../../../../lib/api";

/** `/meetings/:id/replay` — the timeline replay. */
export default function ReplayPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <div className="page" style={{ maxWidth: "80rem" }}>
      <RequireSignIn>
        <ErrorBoundary
          fallback={(message, code) => (
            <div className="card narrow">
              <h1>
                {code === "FORBIDDEN"
                  ? "You cannot replay this meeting"
                  : code === "NOT_FOUND"
                    ? "Meeting not found"
                    : "Replay unavailable"}
              </h1>
              <p role="alert" className="error" data-error-code={code}>
                {message}
              </p>
              <Link href="/">Back to your meetings</Link>
            </div>
          )}
        >
          <ReplayView meetingId={id as MeetingId} />
        </ErrorBoundary>
      </RequireSignIn>
    </div>
  );
}
