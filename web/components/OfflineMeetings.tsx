"use client";

import { useEffect, useState } from "react";
import type { MeetingSummary } from "../lib/api";
import { useOffline } from "../lib/connectivity";
import { useMe } from "../lib/me";
import { rememberedMeetings } from "../lib/offlineCopies";

/**
 * Offline, the meetings this person opened on this device (they open without a
 * network, with their notes); nothing online, where the live list answers.
 */
export function OfflineMeetings() {
  const offline = useOffline();
  const { me } = useMe();
  const [kept, setKept] = useState<NonNullable<MeetingSummary>[]>([]);
  useEffect(() => {
    if (offline && me) setKept(rememberedMeetings(me.subject));
  }, [offline, me]);
  if (!offline) return null;
  return (
    <section className="card" aria-labelledby="offline-meetings-h" data-testid="offline-meetings">
      <h2 id="offline-meetings-h">Offline — meetings on this device</h2>
      {kept.length === 0 ? (
        <p className="muted">
          No meeting was opened on this device yet, so none opens without a network.
        </p>
      ) : (
        <>
          <p className="muted">
            These open without a network, with your notes; changes sync when you are back online.
          </p>
          <ul>
            {kept.map((m) => (
              <li key={m._id}>
                {/* A full page load: the service worker answers it from its copy. */}
                <a href={`/meetings/${m._id}`}>{m.title}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
