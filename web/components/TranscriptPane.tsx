"use client";

import { useQuery } from "convex/react";
import { useEffect, useRef, useState } from "react";
import { type MeetingId, transcriptSegmentsList } from "../lib/api";
import { clock } from "../lib/format";
import { useRoomKey } from "../lib/useRoomKey";

/**
 * The live transcript: the latest page of segments (the projection pages by
 * segment index; the pane follows `nextIndex` to the last page and stays
 * subscribed to it, so new speech appears as it is projected).
 */
export function TranscriptPane({ meetingId }: { meetingId: MeetingId }) {
  const [from, setFrom] = useState(0);
  const roomKey = useRoomKey(meetingId);
  const page = useQuery(
    transcriptSegmentsList,
    roomKey ? { meetingId, roomKey, fromIndex: from } : "skip",
  );
  const next = page?.nextIndex ?? null;
  useEffect(() => {
    if (next !== null) setFrom(next);
  }, [next]);
  const box = useRef<HTMLDivElement>(null);
  const last = page?.segments.at(-1);
  const tail = last ? `${last.index}:${last.text.length}` : "";
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
      data-testid="transcript"
    >
      {page === undefined ? (
        <span className="muted">Loading…</span>
      ) : page.segments.length === 0 ? (
        <span className="muted">Nobody has spoken yet.</span>
      ) : (
        // A segment whose only words were dropped as stale interim ones has nothing to show.
        page.segments
          .filter((s) => s.text.trim().length > 0)
          .map((s) => (
            <p key={s.index} style={{ margin: 0 }}>
              <span className="muted">{clock(s.startMs)} </span>
              <span className="speaker">{s.speaker}</span>
              {s.utterances.map((u) => (
                <span key={u.id} className={u.isFinal ? undefined : "interim"}>
                  {u.text}{" "}
                </span>
              ))}
            </p>
          ))
      )}
    </div>
  );
}
