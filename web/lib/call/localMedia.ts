/** Opening the local camera and microphone for a call. */
import type { JoinMode } from "./callClient";

/** Why 640x360: five outgoing streams of it fit a home uplink; tiles are small. */
export const VIDEO: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 360 } };

/** Local media for a join mode, falling back to less when a device is refused or missing. */
export async function openLocalMedia(
  gum: (c: MediaStreamConstraints) => Promise<MediaStream>,
  mode: JoinMode,
): Promise<{ stream: MediaStream | null; warning: string | null }> {
  const tries: [MediaStreamConstraints, string | null][] =
    mode === "camera"
      ? [
          [{ audio: true, video: VIDEO }, null],
          [
            { audio: true },
            "The camera is blocked or missing: you joined with your microphone only.",
          ],
        ]
      : mode === "audio"
        ? [[{ audio: true }, null]]
        : [];
  for (const [constraints, warning] of tries) {
    try {
      return { stream: await gum(constraints), warning };
    } catch {
      // Permission refused or no device: try with less.
    }
  }
  return {
    stream: null,
    warning:
      mode === "none"
        ? null
        : "Your microphone and camera are blocked: you joined to watch and listen.",
  };
}

/**
 * The local stream with its video track swapped (the old one stopped), as a
 * new stream object so tiles re-render the preview.
 */
export function withVideoTrack(
  local: MediaStream | null,
  old: MediaStreamTrack | null,
  track: MediaStreamTrack | null,
): MediaStream {
  const stream = local ?? new MediaStream();
  if (old) {
    old.stop();
    stream.removeTrack(old);
  }
  if (track) stream.addTrack(track);
  return new MediaStream(stream.getTracks());
}
