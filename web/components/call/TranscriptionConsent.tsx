"use client";

import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import {
  type MeetingId,
  rtcTranscriptionSetEnabled,
  rtcTranscriptionSetOptOut,
  rtcTranscriptionStatus,
} from "../../lib/api";
import { failureOf, plainError } from "../../lib/errors";
import styles from "./call.module.css";

/**
 * The transcription state everyone sees, the host's switch and each person's
 * opt-out (available before the host turns it on, so nothing of yours is ever sent).
 */
export function TranscriptionConsent({
  meetingId,
  isHost,
  canSpeak,
  transcribing,
  error,
}: {
  meetingId: MeetingId;
  isHost: boolean;
  /** False for observers (never transcribed). */
  canSpeak: boolean;
  /** This tab is sending its microphone to transcription right now. */
  transcribing: boolean;
  /** The last transcription failure of this tab, if any. */
  error: string | null;
}) {
  const status = useQuery(rtcTranscriptionStatus, { meetingId });
  const setEnabled = useMutation(rtcTranscriptionSetEnabled);
  const setOptOut = useMutation(rtcTranscriptionSetOptOut);
  const [problem, setProblem] = useState<string | null>(null);
  if (!status) return null;
  const run = (p: Promise<{ ok: boolean } | { ok: false; code: string; message: string }>) => {
    setProblem(null);
    p.then((r) => setProblem(failureOf(r))).catch((e: unknown) => setProblem(plainError(e)));
  };
  if (!status.providerConfigured)
    return (
      <p className={styles.consent} data-testid="transcription-status" data-state="unavailable">
        Transcription from audio is off: no speech-to-text provider is configured on this server.
      </p>
    );
  return (
    <div
      className={`${styles.consent} ${status.enabled ? styles.on : ""}`}
      data-testid="transcription-status"
      data-state={status.enabled ? "on" : "off"}
      role="status"
    >
      {status.enabled ? (
        <>
          <span className={styles.dot} aria-hidden="true" />
          <strong>Transcription is on</strong>
          <span>
            turned on by {status.changedBy ?? "the host"}; everyone’s microphone is transcribed
            unless they opt out.
          </span>
          {transcribing ? (
            <span data-testid="transcribing-me">Your microphone is being transcribed.</span>
          ) : null}
        </>
      ) : (
        <span>Transcription is off.</span>
      )}
      {status.optedOut.length > 0 ? <span>Opted out: {status.optedOut.join(", ")}.</span> : null}
      {isHost ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => run(setEnabled({ meetingId, enabled: !status.enabled }))}
        >
          {status.enabled ? "Turn transcription off" : "Turn transcription on"}
        </button>
      ) : null}
      {canSpeak ? (
        <button
          type="button"
          className="button secondary"
          aria-pressed={status.myOptOut}
          onClick={() => run(setOptOut({ meetingId, optOut: !status.myOptOut }))}
        >
          {status.myOptOut ? "Transcribe me again" : "Don’t transcribe me"}
        </button>
      ) : null}
      {problem || error ? (
        <span role="alert" className="error">
          {problem ?? error}
        </span>
      ) : null}
    </div>
  );
}
