/**
 * The one call interface of the web client. The room talks only to a
 * `CallClient`; which implementation it gets follows the provider the server
 * decided for the meeting (`rtcSessions.callInfo` → `convex/lib/callProvider.ts`):
 *
 * - `"mesh"` (free tier): {@link MeshCall} in `meshCall.ts`, a WebRTC full mesh
 *   with signaling through Convex.
 * - `"stream"` (paid tier, GetStream Video): its own issue adds an
 *   implementation of this interface and a case in `createCallClient`.
 */

import { type Refusal, refusalText } from "../errors";

/** What the person joins with. */
export type JoinMode = "camera" | "audio" | "none";

/** Where the call stands for this tab. */
export type CallStatus =
  | "idle" // not joined (before joining, or after leaving)
  | "joining"
  | "live"
  | "full" // refused: the call has as many people as the provider connects or the plan allows
  | "ended" // the server ended the session (left the meeting, removed, meeting over, other tab)
  | "error";

/** A peer connection's state as the tile shows it. */
export type LinkState = "connecting" | "connected" | "reconnecting" | "failed" | "closed";

/** One person in the call, as a tile shows them. */
export type CallMember = {
  /** The call session id (one per person and tab). */
  id: string;
  userId: string;
  name: string;
  isSelf: boolean;
  /** Their camera/mic as they published it (for self: the local state). */
  audio: boolean;
  video: boolean;
  /** Observers receive only. */
  receiveOnly: boolean;
  /** What to render: the remote stream, or the local preview for self. */
  stream: MediaStream | null;
  /** The connection to them (self: "connected"). */
  connection: LinkState;
};

/** Everything the room renders about the call. */
export type CallState = {
  status: CallStatus;
  /** A sentence for people when status is full, ended or error, or a warning while live. */
  message: string | null;
  mode: JoinMode | null;
  members: CallMember[];
  /** Local microphone and camera on (sending). */
  mic: boolean;
  camera: boolean;
  /** The session id of who is speaking, or null. */
  activeSpeaker: string | null;
  /** "turn" / "stun" / "host": what the ICE configuration allows (null before joining). */
  iceMode: "turn" | "stun" | "host" | null;
};

/** The initial state of every call client. */
export const IDLE_CALL: CallState = {
  status: "idle",
  message: null,
  mode: null,
  members: [],
  mic: false,
  camera: false,
  activeSpeaker: null,
  iceMode: null,
};

/** A diagnostic view of one peer connection (tests and debugging, like webrtc-internals). */
export type PeerDiagnostics = { id: string; name: string; pc: RTCPeerConnection | null };

/** The call, whatever carries it. */
export interface CallClient {
  /** The provider name this client implements. */
  readonly provider: string;
  getState(): CallState;
  /** Called on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: CallState) => void): () => void;
  /** Join with camera + mic, mic only, or neither (watch and listen). */
  join(mode: JoinMode): Promise<void>;
  /** Leave the call (the room stays open). */
  leave(): Promise<void>;
  /** Mute / unmute: a muted microphone sends nothing. */
  setMicEnabled(on: boolean): Promise<void>;
  /** Camera on / off: an off camera is released and sends nothing. */
  setCameraEnabled(on: boolean): Promise<void>;
  /** The local microphone track while joined and unmuted (transcription reads it), else null. */
  localAudioTrack(): MediaStreamTrack | null;
  /** Per-peer diagnostics (the mesh exposes its RTCPeerConnections). */
  diagnostics(): PeerDiagnostics[];
  /** Leave and release everything (the room unmounts). */
  dispose(): void;
}

/**
 * The state after the server refused a join: `full` at the call's cap (CONFLICT:
 * what the provider connects; ENTITLEMENT_REQUIRED: the org plan's limit, said
 * with how to upgrade), `error` otherwise. Every provider's client uses it.
 */
export function refusedJoin(r: Refusal): Pick<CallState, "status" | "message"> {
  const full = r.code === "CONFLICT" || r.code === "ENTITLEMENT_REQUIRED";
  return { status: full ? "full" : "error", message: full ? refusalText(r) : r.message };
}
