"use client";

import { useMutation } from "convex/react";
import { useEffect, useRef, useState } from "react";
import { type MeetingSummary, participantsJoin } from "../lib/api";
import { failureOf, plainError } from "../lib/errors";

/**
 * Marks the signed-in person as joined when they open a live meeting they
 * were invited to (or had left), so everyone's participant list shows them.
 */
export function AutoJoin({ meeting }: { meeting: MeetingSummary }) {
  const join = useMutation(participantsJoin);
  const tried = useRef<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shouldJoin = meeting.status === "active" && meeting.myStatus !== "joined";
  useEffect(() => {
    if (!shouldJoin || tried.current === meeting._id) return;
    tried.current = meeting._id;
    join({ meetingId: meeting._id })
      .then((r) => setError(failureOf(r)))
      .catch((e: unknown) => setError(plainError(e)));
  }, [shouldJoin, meeting._id, join]);
  return error ? (
    <p role="alert" className="error">
      We could not add you to the call: {error}
    </p>
  ) : null;
}
