"use client";

import { useMutation } from "convex/react";
import Link from "next/link";
import { useState } from "react";
import { type MeetingSummary, meetingsCancel, meetingsEnd, meetingsStart } from "../lib/api";
import { failureOf, plainError } from "../lib/errors";

/** Start / end / cancel for the host; replay and insights once it has ended. */
export function MeetingControls({ meeting, isHost }: { meeting: MeetingSummary; isHost: boolean }) {
  const start = useMutation(meetingsStart);
  const end = useMutation(meetingsEnd);
  const cancel = useMutation(meetingsCancel);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: typeof start, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    setError(null);
    setBusy(true);
    try {
      const failure = failureOf(
        await f({ meetingId: meeting._id, idempotencyKey: crypto.randomUUID() }),
      );
      if (failure) setError(failure);
    } catch (e) {
      setError(plainError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="actions">
      {isHost && meeting.status === "scheduled" ? (
        <>
          <button type="button" className="button" disabled={busy} onClick={() => run(start)}>
            Start meeting
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => run(cancel, "Cancel this meeting for everyone?")}
          >
            Cancel meeting
          </button>
        </>
      ) : null}
      {isHost && meeting.status === "active" ? (
        <button
          type="button"
          className="button danger"
          disabled={busy}
          onClick={() => run(end, "End the meeting for everyone?")}
        >
          End meeting
        </button>
      ) : null}
      {meeting.status !== "scheduled" && meeting.status !== "cancelled" ? (
        <Link href={`/meetings/${meeting._id}/replay`}>Replay</Link>
      ) : null}
      {meeting.status === "ended" ? (
        <Link href={`/meetings/${meeting._id}/insights`}>Insights</Link>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
