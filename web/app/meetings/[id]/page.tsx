"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { ErrorBoundary } from "../../../components/ErrorBoundary";
import { MeetingRoom } from "../../../components/MeetingRoom";
import { RequireSignIn } from "../../../components/RequireSignIn";
import type { MeetingId } from "../../../lib/api";

/** `/meetings/:id` — the meeting room. */
export default function MeetingPage() {
  const { id } = useParams<{ id: string }>();
  const meetingId = id as MeetingId;
  return (
    <RequireSignIn>
      <ErrorBoundary
        fallback={(message, code) => (
          <section className="page">
            <div className="card narrow">
              <h1>
                {code === "FORBIDDEN"
                  ? "You cannot open this meeting"
                  : code === "NOT_FOUND"
                    ? "Meeting not found"
                    : "Meeting unavailable"}
              </h1>
              <p role="alert" className="error" data-testid="room-error" data-error-code={code}>
                {message}
              </p>
              <Link href="/">Back to your meetings</Link>
            </div>
          </section>
        )}
      >
        <MeetingRoom meetingId={meetingId} />
      </ErrorBoundary>
    </RequireSignIn>
  );
}
