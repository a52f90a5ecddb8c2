"use client";

import { useMutation } from "convex/react";
import { useEffect, useRef, useState } from "react";
import { type MeetingId, transcriptsAppend } from "../lib/api";
import { failureOf, plainError } from "../lib/errors";
import { SIMULATOR_LINES, WORD_INTERVAL_MS } from "../lib/transcriptScript";

/**
 * Development stand-in for a speech-to-text feed: while on, it speaks the
 * script as `speaker`, sending an interim chunk per word and a final chunk per
 * sentence, with start/end offsets from the start of the meeting.
 */
export function TranscriptSimulator({
  meetingId,
  speaker,
  startedAt,
}: {
  meetingId: MeetingId;
  speaker: string;
  /** When the meeting started: chunk offsets are measured from it, like a recorder's. */
  startedAt: number;
}) {
  const append = useMutation(transcriptsAppend);
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const appendRef = useRef(append);
  appendRef.current = append;

  useEffect(() => {
    if (!on) return;
    const t0 = startedAt;
    const session = crypto.randomUUID().slice(0, 8);
    let line = 0;
    let word = 0;
    let lineStart = 0;
    let seq = 0;
    const timer = setInterval(() => {
      const words = SIMULATOR_LINES[line % SIMULATOR_LINES.length]!.split(" ");
      if (word === 0) lineStart = Date.now() - t0;
      word += 1;
      const final = word >= words.length;
      seq += 1;
      appendRef
        .current({
          meetingId,
          speaker,
          utteranceId: `sim-${session}-${line}`,
          text: words.slice(0, word).join(" "),
          confidence: final ? 0.93 : 0.6,
          startMs: lineStart,
          endMs: Date.now() - t0,
          interim: !final,
          idempotencyKey: `sim-${session}-${seq}`,
        })
        .then((r) => {
          const failure = failureOf(r);
          if (failure) {
            setError(failure);
            setOn(false);
          }
        })
        .catch((e: unknown) => {
          setError(plainError(e));
          setOn(false);
        });
      if (final) {
        line += 1;
        word = 0;
      }
    }, WORD_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [on, meetingId, speaker, startedAt]);

  return (
    <div className="row">
      <button
        type="button"
        className="button secondary"
        aria-pressed={on}
        onClick={() => {
          setError(null);
          setOn((v) => !v);
        }}
      >
        {on ? "Stop simulated speech" : "Simulate speaking"}
      </button>
      <span className="muted">development only</span>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
