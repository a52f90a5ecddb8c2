"use client";

import { useQuery } from "convex/react";
import Link from "next/link";
import { type MeetingSummary, meetingsListMine } from "../lib/api";
import { useOffline } from "../lib/connectivity";
import { when } from "../lib/format";

const GROUPS = [
  { key: "live", title: "Live now" },
  { key: "upcoming", title: "Upcoming" },
  { key: "past", title: "Past" },
] as const;

function Row({ m }: { m: MeetingSummary }) {
  return (
    <li className="meeting">
      <div>
        <Link href={`/meetings/${m._id}`} className="title">
          {m.title}
        </Link>
        <div className="muted">
          {when(m.startedAt ?? m.scheduledAt)} · {m.durationMinutes} min
          {m.myRole === "host" ? " · you host" : ` · ${m.myRole}`}
        </div>
      </div>
      <div className="actions">
        <span className={`status status-${m.status}`}>
          {m.status === "active" ? "live" : m.status}
        </span>
        {m.status === "ended" ? (
          <>
            <Link href={`/meetings/${m._id}/replay`}>Replay</Link>
            <Link href={`/meetings/${m._id}/insights`}>Insights</Link>
          </>
        ) : null}
      </div>
    </li>
  );
}

/** The signed-in person's meetings, grouped into live, upcoming and past. */
export function MeetingList() {
  const meetings = useQuery(meetingsListMine, {});
  const offline = useOffline();
  // Offline the list cannot load; `OfflineMeetings` shows what this device keeps instead.
  if (meetings === undefined)
    return offline ? null : <p className="muted">Loading your meetings…</p>;
  if (meetings.live.length + meetings.upcoming.length + meetings.past.length === 0) {
    return (
      <p>
        No meetings yet. <Link href="/meetings/new">Schedule one</Link>.
      </p>
    );
  }
  return (
    <>
      {GROUPS.map((g) => {
        const list = meetings[g.key];
        if (list.length === 0) return null;
        return (
          <section key={g.key} aria-labelledby={`h-${g.key}`}>
            <h2 id={`h-${g.key}`}>{g.title}</h2>
            <ul className="meetings">
              {list.map((m) => (
                <Row key={m._id} m={m} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
