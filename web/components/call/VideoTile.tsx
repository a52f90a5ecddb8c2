"use client";

import { useEffect, useRef } from "react";
import type { CallMember } from "../../lib/call/callClient";
import styles from "./call.module.css";

const STATE_TEXT = {
  connecting: "connecting…",
  connected: "",
  reconnecting: "reconnecting…",
  failed: "connection failed",
  closed: "disconnected",
} as const;

/** One person's tile: their video (or initials), name, mute state and connection. */
export function VideoTile({ member, speaking }: { member: CallMember; speaking: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = video.current;
    if (el && el.srcObject !== member.stream) el.srcObject = member.stream;
  }, [member.stream]);
  const showsVideo = member.video && (member.stream?.getVideoTracks().length ?? 0) > 0;
  const initials = member.name
    .split(/\s+/)
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <figure
      className={`${styles.tile} ${speaking ? styles.speaking : ""}`}
      data-testid="call-tile"
      data-name={member.name}
      data-self={member.isSelf ? "true" : "false"}
      data-connection={member.connection}
      data-speaking={speaking ? "true" : "false"}
      aria-label={`${member.name}${member.isSelf ? " (you)" : ""}${speaking ? ", speaking" : ""}`}
      style={{ margin: 0 }}
    >
      {/* Self is muted locally (no echo); others play their audio through this element. */}
      <video
        ref={video}
        autoPlay
        playsInline
        muted={member.isSelf}
        style={{ visibility: showsVideo ? "visible" : "hidden" }}
      />
      {showsVideo ? null : <div className={styles.placeholder}>{initials}</div>}
      <figcaption className={styles.label}>
        <span>
          {member.name}
          {member.isSelf ? " (you)" : ""}
        </span>
        {member.receiveOnly ? <span className={styles.state}>observer</span> : null}
        {!member.receiveOnly && !member.audio ? (
          <span title="muted">
            <span aria-hidden="true">🔇</span>
            <span className="sr-only">muted</span>
          </span>
        ) : null}
        <span className={styles.state}>{member.isSelf ? "" : STATE_TEXT[member.connection]}</span>
      </figcaption>
    </figure>
  );
}
