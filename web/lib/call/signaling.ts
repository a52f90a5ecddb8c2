/**
 * The mesh call's signaling channel, as an interface (so the call logic is
 * tested against anything that keeps the contract) and its implementation
 * over the app's own `ConvexReactClient`: mutations for join/leave/heartbeat/
 * send/ack/report, the TURN action, and two watched queries (the peer list and
 * this session's inbox) pushed over the same WebSocket as every live query.
 */
import type { ConvexReactClient } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { follow } from "../notesTransport";

/** A session id. */
export type SessionId = Id<"rtcSessions">;
/** The live peer view or the end of the session. */
export type PeersView = FunctionReturnType<typeof api.rtcSessions.peers>;
/** This session's inbox. */
export type InboxView = FunctionReturnType<typeof api.rtcSignals.inbox>;
/** One signal to send. */
export type OutSignal = { kind: "offer" | "answer" | "candidate"; payload: string };
/** A refusal as commands answer it. */
export type Refusal = { ok: false; code: string; message: string; retryAfterMs?: number };
/** The answer of the ICE servers action. */
export type IceAnswer = FunctionReturnType<typeof api.rtcTurn.iceServers>;
/** What a connection report says. */
export type Report = {
  kind: "connected" | "failed" | "firstMedia" | "iceRestart";
  ms?: number;
  candidateType?: string;
};
/** Media state published to peers. */
export type MediaState = { audio: boolean; video: boolean };

/** Everything the mesh call needs from the backend. */
export interface SignalingChannel {
  iceServers(): Promise<IceAnswer>;
  join(args: {
    deviceId: string;
    media: MediaState;
  }): Promise<
    { ok: true; sessionId: SessionId; receiveOnly: boolean; maxParticipants: number } | Refusal
  >;
  leave(sessionId: SessionId): Promise<unknown>;
  heartbeat(sessionId: SessionId, media: MediaState): Promise<{ ok: true } | Refusal>;
  send(sessionId: SessionId, to: SessionId, signals: OutSignal[]): Promise<{ ok: true } | Refusal>;
  ack(sessionId: SessionId, ids: Id<"rtcSignals">[]): Promise<unknown>;
  report(sessionId: SessionId, report: Report): Promise<unknown>;
  watchPeers(
    sessionId: SessionId,
    onView: (v: PeersView) => void,
    onError: (e: Error) => void,
  ): () => void;
  watchInbox(
    sessionId: SessionId,
    onView: (v: InboxView) => void,
    onError: (e: Error) => void,
  ): () => void;
}

/** The channel over `client` for `meetingId`. */
export function convexSignaling(
  client: ConvexReactClient,
  meetingId: Id<"meetings">,
): SignalingChannel {
  return {
    iceServers: () => client.action(api.rtcTurn.iceServers, { meetingId }),
    join: ({ deviceId, media }) =>
      client.mutation(api.rtcSessions.join, { meetingId, deviceId, media }),
    leave: (sessionId) => client.mutation(api.rtcSessions.leave, { sessionId }),
    heartbeat: (sessionId, media) =>
      client.mutation(api.rtcSessions.heartbeat, { sessionId, media }),
    send: (sessionId, to, signals) =>
      client.mutation(api.rtcSignals.send, { sessionId, to, signals }),
    ack: (sessionId, ids) => client.mutation(api.rtcSignals.ack, { sessionId, ids }),
    report: (sessionId, r) => client.mutation(api.rtcMetrics.report, { sessionId, ...r }),
    watchPeers: (sessionId, onView, onError) =>
      follow(client.watchQuery(api.rtcSessions.peers, { meetingId, sessionId }), onView, onError),
    watchInbox: (sessionId, onView, onError) =>
      follow(client.watchQuery(api.rtcSignals.inbox, { sessionId }), onView, onError),
  };
}
