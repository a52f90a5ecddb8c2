"use client";

import { useConvex, useQuery } from "convex/react";
import dynamic from "next/dynamic";
import { useEffect, useState, useSyncExternalStore } from "react";
import { type MeetingSummary, rtcCallInfo } from "../../lib/api";
import { type CallClient, IDLE_CALL, type JoinMode } from "../../lib/call/callClient";
import { createCallClient } from "../../lib/call/createCall";
import { convexSignaling } from "../../lib/call/signaling";
import { useCallTranscription } from "../../lib/call/useCallTranscription";
import styles from "./call.module.css";
import { RecordingNotice } from "./RecordingNotice";

/** GetStream's React SDK, loaded only for paid calls (free meetings never download it). */
const StreamCallPanel = dynamic(() => import("./StreamCallPanel").then((m) => m.StreamCallPanel), {
  ssr: false,
  loading: () => <p className="muted">Loading the call…</p>,
});

import { TranscriptionConsent } from "./TranscriptionConsent";
import { VideoTile } from "./VideoTile";

declare global {
  interface Window {
    /** Diagnostics of the room's call (peer connections), like chrome://webrtc-internals. */
    connvoCall?: CallClient;
  }
}

const ICE_TEXT = {
  turn: "TURN relay available",
  stun: "STUN",
  host: "direct (no TURN configured)",
} as const;

const noop = () => () => undefined;

/** The call of a live meeting: join choices, a tile per person, mute/camera/leave, consent. */
export function CallPanel({ meeting, isHost }: { meeting: MeetingSummary; isHost: boolean }) {
  const convex = useConvex();
  const info = useQuery(rtcCallInfo, { meetingId: meeting._id });
  const [call, setCall] = useState<CallClient | null>(null);
  const provider = info?.provider;
  useEffect(() => {
    if (provider !== "mesh") return;
    const c = createCallClient(provider, { signaling: convexSignaling(convex, meeting._id) });
    setCall(c);
    window.connvoCall = c;
    const bye = () => void c.leave();
    window.addEventListener("pagehide", bye);
    return () => {
      window.removeEventListener("pagehide", bye);
      c.dispose();
      if (window.connvoCall === c) window.connvoCall = undefined;
    };
  }, [provider, convex, meeting._id]);
  const state = useSyncExternalStore(
    call ? (l) => call.subscribe(l) : noop,
    () => call?.getState() ?? IDLE_CALL,
    () => IDLE_CALL,
  );
  const track = state.status === "live" && state.mic ? (call?.localAudioTrack() ?? null) : null;
  const tx = useCallTranscription(meeting._id, track, meeting.startedAt ?? 0);
  const observer = meeting.myRole === "observer";
  const joined = meeting.myStatus === "joined";
  const inCall = state.status === "live" || state.status === "joining";
  const full = !!info && !inCall && info.inCall >= info.maxParticipants;
  const join = (mode: JoinMode) => void call?.join(mode);

  if (info?.provider === "stream") {
    // The paid call (GetStream Video), drawn by GetStream's React SDK once it is provisioned.
    return (
      <section
        className={styles.call}
        aria-labelledby="call-h"
        data-testid="call"
        data-status="paid"
      >
        <div className={styles.head}>
          <h2 id="call-h">Call</h2>
          <span className={styles.badge}>GetStream Video</span>
        </div>
        <RecordingNotice recording={info.recording} />
        {!joined ? (
          <p className="muted">Joining the meeting…</p>
        ) : info.paidCall === "pending" ? (
          <p className="muted" data-testid="paid-call-status">
            Setting up the call…
          </p>
        ) : (
          <StreamCallPanel meetingId={meeting._id} />
        )}
      </section>
    );
  }

  return (
    <section
      className={styles.call}
      aria-labelledby="call-h"
      data-testid="call"
      data-status={state.status}
    >
      <div className={styles.head}>
        <h2 id="call-h">Call</h2>
        {info ? (
          <span className={styles.badge} data-testid="call-count">
            {info.inCall} of {info.maxParticipants} in the call
          </span>
        ) : null}
        {state.iceMode ? <span className={styles.badge}>{ICE_TEXT[state.iceMode]}</span> : null}
      </div>
      {!joined ? (
        <p className="muted">Joining the meeting…</p>
      ) : inCall ? (
        <>
          <div className={styles.grid}>
            {state.members.map((m) => (
              <VideoTile key={m.id} member={m} speaking={state.activeSpeaker === m.id} />
            ))}
          </div>
          <div className={styles.controls}>
            {observer ? null : (
              <>
                <button
                  type="button"
                  className="button secondary"
                  aria-pressed={!state.mic}
                  disabled={state.status !== "live"}
                  onClick={() => void call?.setMicEnabled(!state.mic)}
                >
                  {state.mic ? "Mute" : "Unmute"}
                </button>
                <button
                  type="button"
                  className="button secondary"
                  aria-pressed={!state.camera}
                  disabled={state.status !== "live"}
                  onClick={() => void call?.setCameraEnabled(!state.camera)}
                >
                  {state.camera ? "Camera off" : "Camera on"}
                </button>
              </>
            )}
            <button type="button" className="button danger" onClick={() => void call?.leave()}>
              Hang up
            </button>
          </div>
        </>
      ) : (
        <>
          {full ? (
            <p role="status" data-testid="call-full">
              {info?.limitedBy === "plan"
                ? `The call is full for your organization's plan: the ${info.plan} plan allows ${info.maxParticipants} people in a call at once. Ask an admin of your organization to upgrade the plan.`
                : `The call is full: ${info?.maxParticipants} people are in it, the most a free-tier call connects.`}{" "}
              You can follow the notes, transcript and chat, and join when someone leaves.
            </p>
          ) : null}
          <div className={styles.controls}>
            {observer ? (
              <button
                type="button"
                className="button"
                disabled={!call || full}
                onClick={() => join("none")}
              >
                Watch and listen
              </button>
            ) : (
              <>
                <button
                  type="button"
                  className="button"
                  disabled={!call || full}
                  onClick={() => join("camera")}
                >
                  {state.status === "idle" ? "Join with camera" : "Rejoin with camera"}
                </button>
                <button
                  type="button"
                  className="button secondary"
                  disabled={!call || full}
                  onClick={() => join("audio")}
                >
                  Audio only
                </button>
                <button
                  type="button"
                  className="button secondary"
                  disabled={!call || full}
                  onClick={() => join("none")}
                >
                  Without camera or mic
                </button>
              </>
            )}
          </div>
        </>
      )}
      {state.message ? (
        <p
          role={state.status === "error" ? "alert" : "status"}
          className={state.status === "error" ? "error" : "muted"}
          data-testid="call-message"
        >
          {state.message}
        </p>
      ) : null}
      <TranscriptionConsent
        meetingId={meeting._id}
        isHost={isHost}
        canSpeak={!observer}
        transcribing={tx.transcribing}
        error={tx.error}
      />
    </section>
  );
}
