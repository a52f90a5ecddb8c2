"use client";

/**
 * The paid call: GetStream Video through GetStream's React SDK
 * (`@stream-io/video-react-sdk`). Credentials come from the server
 * (`video.calls.join`: the API key, the call's type and id, and a user token
 * minted for the caller, never stored); the SDK connects to GetStream and
 * draws the call (speaker layout, its own controls). Loaded on demand by
 * `CallPanel` only for meetings whose call runs on GetStream, so free
 * meetings never download the SDK.
 *
 * Not covered by the browser tests: the SDK connects to GetStream's edge and
 * SFU, which no loopback fake stands in for (the server half is tested
 * against the fake in `tests/video/`).
 */
import {
  type Call,
  CallControls,
  SpeakerLayout,
  StreamCall,
  StreamTheme,
  StreamVideo,
  StreamVideoClient,
} from "@stream-io/video-react-sdk";
import "@stream-io/video-react-sdk/dist/css/styles.css";
import { useConvex } from "convex/react";
import { useEffect, useRef, useState } from "react";
import type { Id } from "../../../convex/_generated/dataModel";
import { videoCallJoin } from "../../lib/api";

type Session = { client: StreamVideoClient; call: Call };

/** The GetStream call of `meetingId`: a join button, then the call. */
export function StreamCallPanel({ meetingId }: { meetingId: Id<"meetings"> }) {
  const convex = useConvex();
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<"idle" | "joining" | "error">("idle");
  const [message, setMessage] = useState<string | null>(null);
  const current = useRef<Session | null>(null);

  useEffect(
    () => () => {
      const s = current.current;
      current.current = null;
      if (s) void s.call.leave().finally(() => void s.client.disconnectUser());
    },
    [],
  );

  async function join() {
    setStatus("joining");
    setMessage(null);
    try {
      const creds = await convex.action(videoCallJoin, { meetingId });
      if (!creds.ok) throw new Error(creds.message);
      const client = new StreamVideoClient({
        apiKey: creds.apiKey,
        // The name GetStream shows was set when the call was provisioned (users upserted).
        user: { id: creds.userId },
        token: creds.token,
        // A fresh token from the server when the SDK's expires (4 h).
        tokenProvider: async () => {
          const again = await convex.action(videoCallJoin, { meetingId });
          if (!again.ok) throw new Error(again.message);
          return again.token;
        },
      });
      const call = client.call(creds.callType, creds.callId);
      await call.join();
      current.current = { client, call };
      setSession({ client, call });
      setStatus("idle");
    } catch (e) {
      setStatus("error");
      setMessage(`Could not join the call: ${(e as Error).message}`);
    }
  }

  async function leave() {
    const s = current.current;
    current.current = null;
    setSession(null);
    if (s) {
      await s.call.leave().catch(() => undefined);
      await s.client.disconnectUser();
    }
  }

  if (session)
    return (
      <StreamVideo client={session.client}>
        <StreamCall call={session.call}>
          <StreamTheme>
            <SpeakerLayout />
            <CallControls onLeave={() => void leave()} />
          </StreamTheme>
        </StreamCall>
      </StreamVideo>
    );
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={status === "joining"}
        onClick={() => void join()}
      >
        {status === "joining" ? "Joining…" : "Join the call"}
      </button>
      {message ? (
        <p role="alert" className="error" data-testid="paid-call-error">
          {message}
        </p>
      ) : null}
    </>
  );
}
