"use client";

import { useAction, useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { type MeetingId, rtcTranscribe, rtcTranscriptionStatus } from "../api";
import { failureOf, plainError } from "../errors";
import { MicTranscriber } from "./micTranscriber";

/**
 * Sends this participant's own microphone to transcription while the host has
 * it on, this person has not opted out, and the microphone is live and
 * unmuted (`track` non-null). Each segment goes to `rtcTranscribe.transcribe`
 * once; the server appends the text as this speaker. Returns whether it is
 * transcribing and the last failure.
 */
export function useCallTranscription(
  meetingId: MeetingId,
  track: MediaStreamTrack | null,
  meetingStartedAt: number,
): { transcribing: boolean; error: string | null } {
  const status = useQuery(rtcTranscriptionStatus, { meetingId });
  const transcribe = useAction(rtcTranscribe);
  const [error, setError] = useState<string | null>(null);
  const active = !!status?.enabled && !status.myOptOut && track !== null;
  useEffect(() => {
    if (!active || !track) return;
    const tap = new MicTranscriber(track, meetingStartedAt, (seg) => {
      const audio = seg.wav.buffer.slice(
        seg.wav.byteOffset,
        seg.wav.byteOffset + seg.wav.byteLength,
      ) as ArrayBuffer;
      transcribe({
        meetingId,
        segmentId: seg.segmentId,
        startMs: seg.startMs,
        endMs: seg.endMs,
        mimeType: "audio/wav",
        audio,
      })
        .then((r) => setError(failureOf(r)))
        .catch((e: unknown) => setError(plainError(e)));
    });
    tap.start().catch((e: unknown) => setError(`Could not read your microphone: ${String(e)}`));
    return () => tap.stop();
  }, [active, track, meetingId, meetingStartedAt, transcribe]);
  return { transcribing: active, error: active ? error : null };
}
