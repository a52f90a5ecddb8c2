"use client";

/**
 * The consent notice of a recorded call: shown to everyone in the room while
 * the paid call (GetStream) is being recorded (`rtcSessions.callInfo`'s
 * `recording`, set by GetStream's recording webhooks).
 */
export function RecordingNotice({ recording }: { recording: boolean }) {
  if (!recording) return null;
  return (
    <p role="status" className="error" data-testid="recording-notice">
      ● This call is being recorded. Everyone in the meeting is told so; the recording is kept for
      the meeting's participants.
    </p>
  );
}
