"use client";

import { useMutation, useQuery } from "convex/react";
import { useEffect, useRef, useState } from "react";
import { api } from "../../convex/_generated/api";
import { currentLull } from "../../projections/meetingState/evolve";
import type { MeetingId } from "../lib/api";
import { useRoomKey } from "../lib/useRoomKey";
import { PromptFeedback, ProviderNote } from "./PromptFeedback";

/** Why 1 s: a lull is ≥ 10 s, so checking the clock each second notices it promptly. */
const CLOCK_TICK_MS = 1000;

/**
 * In-call prompts: the conversation's key phrases as chips and the best
 * prompts the server generated for this room (after a lull, a topic shift, or
 * when someone asks), with use / upvote / dismiss. Every client may report a
 * lull or a topic shift; the server verifies it and makes at most one prompt
 * per 30 s per meeting, so the room shares one prompt, not one per person.
 */
export function PromptsPanel({ meetingId }: { meetingId: MeetingId }) {
  const roomKey = useRoomKey(meetingId);
  const state = useQuery(api.meetingState.get, roomKey ? { meetingId, roomKey } : "skip");
  const live = useQuery(api.ai.prompts.list, { meetingId, kind: "incall" });
  const trigger = useMutation(api.ai.prompts.trigger);
  const [now, setNow] = useState(() => Date.now());
  const [note, setNote] = useState<string | null>(null);
  const askedFor = useRef<{ lull: number | null; topics: string }>({ lull: null, topics: "" });
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(t);
  }, []);
  const active = state?.active === true;
  const lull = active && state ? currentLull(state, now) : null;
  const topics = live?.topics ?? [];
  const topicKey = topics.join("|");
  useEffect(() => {
    if (!active || !live?.enabled) return;
    if (lull && askedFor.current.lull !== lull.since) {
      askedFor.current.lull = lull.since;
      void trigger({ meetingId, reason: "lull" }).catch(() => undefined);
    }
  }, [active, live?.enabled, lull, meetingId, trigger]);
  useEffect(() => {
    if (!active || !live?.enabled || topicKey === "") return;
    const before = askedFor.current.topics;
    askedFor.current.topics = topicKey;
    if (before !== "" && before !== topicKey)
      void trigger({ meetingId, reason: "topic_shift" }).catch(() => undefined);
  }, [active, live?.enabled, topicKey, meetingId, trigger]);
  if (!active || !live?.enabled) return null;
  const ask = () => {
    setNote(null);
    trigger({ meetingId, reason: "request" }).then(
      (r) => {
        if (!r.ok)
          setNote(
            r.code === "RATE_LIMITED"
              ? `A prompt was just made; next one in ${Math.ceil((r.retryAfterMs ?? 0) / 1000)} s.`
              : r.message,
          );
      },
      (e: unknown) => setNote(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <section className="panel" aria-labelledby="prompts-h" data-testid="incall-prompts">
      <h2 id="prompts-h">Prompts</h2>
      {topics.length > 0 ? (
        <p
          style={{
            margin: "0 0 0.5rem",
            display: "flex",
            flexWrap: "wrap",
            gap: "0.3rem",
            alignItems: "center",
          }}
        >
          <span className="muted">Talking about: </span>
          {topics.map((t) => (
            <span key={t} className="status" data-testid="topic-chip">
              {t}
            </span>
          ))}
        </p>
      ) : null}
      {lull ? (
        <p className="muted" role="status">
          Quiet for {Math.round((now - lull.since) / 1000)} s.
        </p>
      ) : null}
      {live.prompts.map((p) => (
        <div key={p._id} className="prompt" data-testid="incall-prompt">
          {p.content}
          <PromptFeedback meetingId={meetingId} promptId={p._id} mine={p.mine} />
          <ProviderNote provider={p.provider} model={p.model} fallbackReason={p.fallbackReason} />
        </div>
      ))}
      {live.generating ? <p className="muted">Thinking of a prompt…</p> : null}
      <button type="button" onClick={ask} data-testid="ask-prompt">
        Suggest a prompt
      </button>
      {note ? (
        <p className="muted" role="status">
          {note}
        </p>
      ) : null}
    </section>
  );
}
