"use client";

import { useMutation } from "convex/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  type MeetingSummary,
  meetingsCancel,
  meetingsEnd,
  meetingsStart,
  participantsLeave,
  roomsRotate,
} from "../lib/api";
import { failureOf, plainError } from "../lib/errors";

/**
 * Start / end / cancel and a room-key reset for the host (a suspected leak: everyone who may
 * read moves to the new key, the old one stops at once); replay and insights once it has ended.
 */
export function MeetingControls({ meeting, isHost }: { meeting: MeetingSummary; isHost: boolean }) {
  const start = useMutation(meetingsStart);
  const end = useMutation(meetingsEnd);
  const cancel = useMutation(meetingsCancel);
  const leave = useMutation(participantsLeave);
  const rotate = useMutation(roomsRotate);
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Runs a command; true when it was done. */
  const run = async (
    f: (args: {
      meetingId: MeetingSummary["_id"];
      idempotencyKey: string;
    }) => Promise<{ ok: boolean }>,
    confirmText?: string,
  ): Promise<boolean> => {
    if (confirmText && !window.confirm(confirmText)) return false;
    setError(null);
    setBusy(true);
    try {
      const failure = failureOf(
        await f({ meetingId: meeting._id, idempotencyKey: crypto.randomUUID() }),
      );
      if (failure) setError(failure);
      return failure === null;
    } catch (e) {
      setError(plainError(e));
      return false;
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
      {isHost && meeting.status !== "cancelled" ? (
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={() =>
            run(
              ({ meetingId }) => rotate({ meetingId }),
              "Replace the room key? Everyone who may read moves to the new one; a copied key stops working.",
            )
          }
        >
          Reset room key
        </button>
      ) : null}
      {meeting.status === "active" && meeting.myRole !== "host" && meeting.myStatus === "joined" ? (
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={async () => {
            if (await run(leave)) router.push("/");
          }}
        >
          Leave call
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
