"use client";

import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { invitationsMyRsvp, invitationsRespond, type MeetingId } from "../lib/api";
import { failureOf, plainError } from "../lib/errors";

/** For someone invited who has not joined: accept or decline (they can change their mind). */
export function RsvpBar({ meetingId }: { meetingId: MeetingId }) {
  const mine = useQuery(invitationsMyRsvp, { meetingId });
  const respond = useMutation(invitationsRespond);
  const [error, setError] = useState<string | null>(null);
  const answer = async (response: "accepted" | "declined") => {
    setError(null);
    try {
      const r = await respond({ meetingId, response });
      setError(failureOf(r));
    } catch (e) {
      setError(plainError(e));
    }
  };
  if (mine === undefined) return null;
  return (
    <fieldset className="row notice" data-testid="rsvp-bar" aria-label="Your answer">
      <span>
        {mine === "accepted"
          ? "You accepted this invitation."
          : mine === "declined"
            ? "You declined this invitation."
            : "You are invited. Will you come?"}
      </span>
      {mine !== "accepted" ? (
        <button type="button" className="button" onClick={() => void answer("accepted")}>
          Accept
        </button>
      ) : null}
      {mine !== "declined" ? (
        <button type="button" className="button secondary" onClick={() => void answer("declined")}>
          Decline
        </button>
      ) : null}
      {error ? (
        <span role="alert" className="error">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
