"use client";

import { useQuery } from "convex/react";
import { useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import { type MeetingId, participantsList } from "../lib/api";
import { colourFor } from "../lib/devUsers";
import { InvitePanel } from "./InvitePanel";

/** Names of the people whose editors are open right now, from the notes awareness. */
function useOnlineNames(awareness: Awareness | null): Set<string> {
  const [names, setNames] = useState<Set<string>>(() => new Set());
  useEffect(() => {
    if (!awareness) return;
    const update = () => {
      const next = new Set<string>();
      for (const state of awareness.getStates().values()) {
        const user = (state as { user?: { name?: unknown } }).user;
        if (typeof user?.name === "string") next.add(user.name);
      }
      setNames(next);
    };
    update();
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [awareness]);
  return names;
}

/** Who is in the meeting, who is here right now, their RSVPs, and (for hosts) invitations. */
export function ParticipantsPanel({
  meetingId,
  awareness,
  canInvite,
  isHost = false,
}: {
  meetingId: MeetingId;
  awareness: Awareness | null;
  canInvite: boolean;
  /** The host (not a co-host): may invite co-hosts. */
  isHost?: boolean;
}) {
  const people = useQuery(participantsList, { meetingId });
  const online = useOnlineNames(awareness);
  return (
    <section className="panel" aria-labelledby="people-h">
      <h2 id="people-h">People</h2>
      {people === undefined ? (
        <span className="muted">Loading…</span>
      ) : (
        <ul className="people" data-testid="participants">
          {people.map((p) => {
            const here = online.has(p.name);
            return (
              <li key={p.userId}>
                <span className="avatar" style={{ background: colourFor(p.name) }} aria-hidden>
                  {p.name.slice(0, 1)}
                </span>
                <span>{p.name}</span>
                <span className="muted">{p.role}</span>
                {p.status === "invited" ? (
                  <span className="muted" data-testid="rsvp">
                    {p.rsvp === "accepted"
                      ? "· accepted"
                      : p.rsvp === "declined"
                        ? "· declined"
                        : "· invited, no answer yet"}
                  </span>
                ) : null}
                <span
                  className={`dot${here ? " on" : ""}`}
                  role="img"
                  aria-label={here ? "here now" : p.status}
                  title={here ? "here now" : p.status}
                  style={{ marginLeft: "auto" }}
                />
              </li>
            );
          })}
        </ul>
      )}
      {canInvite ? <InvitePanel meetingId={meetingId} isHost={isHost} /> : null}
    </section>
  );
}
