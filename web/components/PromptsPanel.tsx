"use client";

import { useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { api } from "../../convex/_generated/api";
import { currentLull } from "../../projections/meetingState/evolve";
import type { MeetingId } from "../lib/api";

/** Why 1 s: a lull is ≥ 10 s, so checking the clock each second shows it promptly. */
const CLOCK_TICK_MS = 1000;

/**
 * In-call prompts from the `meetingState` projection: the current topics as
 * chips, and a nudge when the conversation has paused (the projection's lull
 * rule, `currentLull`, evaluated against the local clock).
 */
export function PromptsPanel({ meetingId }: { meetingId: MeetingId }) {
  const state = useQuery(api.meetingState.get, { meetingId });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(t);
  }, []);
  if (!state?.active) return null;
  const lull = currentLull(state, now);
  if (state.topics.length === 0 && !lull) return null;
  return (
    <section className="panel" aria-labelledby="prompts-h">
      <h2 id="prompts-h">Prompts</h2>
      {state.topics.length > 0 ? (
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
          {state.topics.map((t) => (
            <span key={t} className="status">
              {t}
            </span>
          ))}
        </p>
      ) : null}
      {lull ? (
        <p className="prompt" role="status">
          Quiet for {Math.round((now - lull.since) / 1000)} s.{" "}
          {state.topics[0]
            ? `Ask what the next step on “${state.topics[0]}” is?`
            : "Ask everyone what they would like to get out of this call?"}
        </p>
      ) : null}
    </section>
  );
}
