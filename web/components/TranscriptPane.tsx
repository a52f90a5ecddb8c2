"use client";

import { useQuery } from "convex/react";
import { useEffect, useRef } from "react";
import { type MeetingId, transcriptSegmentsList } from "../lib/api";
import { clock } from "../lib/format";

/** How many recent segments the live pane keeps on screen. */
const LIVE_SEGMENTS = 100;

/** The live transcript: the latest segments, following the conversation. */
export function TranscriptPane({ meetingId }: { meetingId: MeetingId }) {
  const segments = useQuery(transcriptSegmentsList, { meetingId, limit: LIVE_SEGMENTS });
  const box = useRef<HTMLDivElement>(null);
  const last = segments?.at(-1);
  const tail = last ? `${last._id}:${last.text.length}` : "";
  useEffect(() => {
    if (tail && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [tail]);
  return (
    <div
      className="transcript"
      ref={box}
      role="log"
      aria-live="polite"
      aria-label="Live transcript"
    >
      {segments === undefined ? (
        <span className="muted">Loading…</span>
      ) : segments.length === 0 ? (
        <span className="muted">Nobody has spoken yet.</span>
      ) : (
        segments.map((s) => (
          <p key={s._id} className={s.interim ? "interim" : undefined} style={{ margin: 0 }}>
            <span className="muted">{clock(s.startMs)} </span>
            <span className="speaker">{s.speaker}</span>
            {s.text}
          </p>
        ))
      )}
    </div>
  );
}
