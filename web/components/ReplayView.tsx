"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { type MeetingId, meetingsGet, participantsList, timelineEvents } from "../lib/api";
import { clock, when } from "../lib/format";
import { Replay } from "../lib/replayFrame";
import { useTimelineEvents } from "../lib/useTimelineEvents";
import { RichNotes } from "./RichNotes";

/** Why: a replay tick every 100 ms looks smooth and folds at most a few events per tick. */
const TICK_MS = 100;
/** Why 100 ms: the scrubber's resolution; finer than any two edits a person can tell apart. */
const SCRUB_STEP_MS = 100;
/** Playback speeds offered (meeting time per real time). */
const SPEEDS = [1, 10, 60] as const;

/** The timeline replay of one meeting: scrubber, play/pause, and the meeting as it was. */
export function ReplayView({ meetingId }: { meetingId: MeetingId }) {
  const meeting = useQuery(meetingsGet, { meetingId });
  // After the meeting loads: a malformed id is answered by `meetings.get` (NOT_FOUND) alone.
  const people = useQuery(participantsList, meeting ? { meetingId } : "skip");
  const log = useTimelineEvents(meetingId);
  // One event past what was read, kept live: "Load latest" shows only when there is something newer.
  const after = useQuery(
    timelineEvents,
    log.status === "ready" ? { meetingId, cursors: log.cursors, limit: 1 } : "skip",
  );
  const newer = (after?.events.length ?? 0) > 0;
  const replay = useMemo(() => (log.status === "ready" ? new Replay(log.events) : null), [log]);
  const span = useMemo(() => replay?.span() ?? { from: 0, to: 0 }, [replay]);
  const instants = useMemo(() => replay?.instants() ?? [], [replay]);
  const [t, setT] = useState<number | null>(null);
  // `?t=<ms>` (an insight's transcript moment) opens the replay there.
  useEffect(() => {
    const linked = new URLSearchParams(window.location.search).get("t");
    if (linked && Number.isFinite(Number(linked))) setT(Number(linked));
  }, []);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(10);
  const at = t ?? span.to;

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setT((cur) => {
        const next = (cur ?? span.from) + TICK_MS * speed;
        if (next >= span.to) {
          setPlaying(false);
          return span.to;
        }
        return next;
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, speed, span.from, span.to]);

  const frame = useMemo(() => replay?.frameAt(at) ?? null, [replay, at]);
  const names = useMemo(
    () => new Map((people ?? []).map((p) => [p.userId as string, p.name])),
    [people],
  );

  if (log.status === "error") {
    return (
      <p role="alert" className="error" data-testid="replay-error">
        {log.message}
      </p>
    );
  }
  if (log.status === "loading" || !frame || !replay) {
    return (
      <p className="muted">
        Loading the meeting&apos;s history…
        {log.status === "loading" && log.loaded > 0 ? ` ${log.loaded} events` : ""}
      </p>
    );
  }
  const origin = frame.state.startedAt ?? span.from;
  // Align the range so that its last step lands exactly on the last event (End shows everything).
  const scrubMin = span.to - Math.ceil((span.to - span.from) / SCRUB_STEP_MS) * SCRUB_STEP_MS;
  const present = frame.state.participants.filter((p) => p.presentSince !== null);
  const prev = [...instants].reverse().find((i) => i < at);
  const next = instants.find((i) => i > at);
  const jump = (to: number | undefined) => {
    if (to === undefined) return;
    setPlaying(false);
    setT(to);
  };
  return (
    <div className="replay">
      <div className="pagehead">
        <h1>Replay: {meeting?.title ?? "meeting"}</h1>
        <Link href={`/meetings/${meetingId}`}>Back to the meeting</Link>
      </div>
      <section className="panel" aria-label="Timeline controls">
        <div className="scrubber">
          <button
            type="button"
            className="button"
            onClick={() => {
              if (!playing && at >= span.to) setT(span.from);
              setPlaying((p) => !p);
            }}
            aria-pressed={playing}
          >
            {playing ? "Pause" : "Play"}
          </button>
          <label htmlFor="scrub" className="sr-only">
            Meeting time
          </label>
          <input
            id="scrub"
            type="range"
            min={scrubMin}
            max={span.to}
            step={SCRUB_STEP_MS}
            value={at}
            onChange={(e) => {
              setPlaying(false);
              setT(Number(e.target.value));
            }}
            aria-valuetext={`${clock(at - origin)} into the meeting`}
            data-testid="scrubber"
          />
          <output data-testid="replay-clock" aria-live="off">
            {clock(Math.max(0, at - origin))}
          </output>
        </div>
        <div className="row" style={{ marginTop: "0.5rem" }}>
          <button
            type="button"
            className="button secondary"
            disabled={prev === undefined}
            onClick={() => jump(prev)}
          >
            ◀ Previous change
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={next === undefined}
            onClick={() => jump(next)}
          >
            Next change ▶
          </button>
          <label>
            Speed{" "}
            <select
              value={speed}
              onChange={(e) => setSpeed(Number(e.target.value) as (typeof SPEEDS)[number])}
            >
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <span className="muted">
            {when(at)} · {frame.eventCount} of {replay.events.length} events · {frame.state.status}
          </span>
          {log.status === "ready" && newer ? (
            <button type="button" className="link" onClick={log.reload} data-testid="load-latest">
              Load latest
            </button>
          ) : null}
        </div>
      </section>
      <div className="room" style={{ padding: 0, marginTop: "1rem" }}>
        <div className="room-main">
          <section className="panel" aria-labelledby="rn-h">
            <h2 id="rn-h">Notes at this moment</h2>
            <div className="replay-notes" data-testid="replay-notes">
              {frame.notesText ? (
                <RichNotes doc={frame.notes} />
              ) : (
                <span className="muted">(empty)</span>
              )}
            </div>
          </section>
          <section className="panel" aria-labelledby="rt-h">
            <h2 id="rt-h">Transcript so far</h2>
            <div className="transcript">
              {frame.segments.length === 0 ? (
                <span className="muted">Nobody had spoken yet.</span>
              ) : (
                frame.segments.map((s) => (
                  <p key={s.index} style={{ margin: 0 }}>
                    <span className="muted">{clock(s.startMs)} </span>
                    <span className="speaker">{s.speaker}</span>
                    {s.text}
                  </p>
                ))
              )}
            </div>
          </section>
        </div>
        <aside className="room-side">
          <section className="panel" aria-labelledby="rp-h">
            <h2 id="rp-h">In the call</h2>
            {present.length === 0 ? (
              <span className="muted">Nobody.</span>
            ) : (
              <ul className="people">
                {present.map((p) => (
                  <li key={p.userId}>
                    <span className="dot on" aria-hidden />
                    {names.get(p.userId) ?? "someone"} <span className="muted">{p.role}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="rs-h">
            <h2 id="rs-h">Speaking time</h2>
            {frame.state.speakers.length === 0 ? (
              <span className="muted">—</span>
            ) : (
              <ul className="people">
                {frame.state.speakers.map((s) => (
                  <li key={s.speakerId}>
                    {s.speaker} <span className="muted">{clock(s.speakingMs)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}
