"use client";

import { useMutation, useQuery } from "convex/react";
import { type FormEvent, useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import { type MeetingId, participantsInvite, participantsList } from "../lib/api";
import { colourFor } from "../lib/devUsers";
import { failureOf, plainError } from "../lib/errors";

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

/** Who is in the meeting, who is here right now, and (for hosts) an invite box. */
export function ParticipantsPanel({
  meetingId,
  awareness,
  canInvite,
}: {
  meetingId: MeetingId;
  awareness: Awareness | null;
  canInvite: boolean;
}) {
  const people = useQuery(participantsList, { meetingId });
  const online = useOnlineNames(awareness);
  const invite = useMutation(participantsInvite);
  const [email, setEmail] = useState("");
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const onInvite = async (e: FormEvent) => {
    e.preventDefault();
    const to = email.trim();
    if (!to) return;
    setMsg(null);
    try {
      const r = await invite({
        meetingId,
        email: to,
        role: "participant",
        idempotencyKey: crypto.randomUUID(),
      });
      const failure = failureOf(r);
      if (failure) {
        setMsg({ ok: false, text: failure });
        return;
      }
      setEmail("");
      setMsg({ ok: true, text: `Invited ${to}.` });
    } catch (err) {
      setMsg({ ok: false, text: plainError(err) });
    }
  };
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
      {canInvite ? (
        <form onSubmit={onInvite} className="row" style={{ marginTop: "0.75rem" }}>
          <label htmlFor="invite-email" className="sr-only">
            Email to invite
          </label>
          <input
            id="invite-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="name@example.com"
            style={{ flex: 1, minWidth: 0 }}
          />
          <button type="submit" className="button secondary">
            Invite
          </button>
        </form>
      ) : null}
      {msg ? (
        <p role={msg.ok ? "status" : "alert"} className={msg.ok ? "muted" : "error"}>
          {msg.text}
        </p>
      ) : null}
    </section>
  );
}
