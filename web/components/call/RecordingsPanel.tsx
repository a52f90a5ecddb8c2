"use client";

import { useQuery } from "convex/react";
import type { Id } from "../../../convex/_generated/dataModel";
import { videoRecordings } from "../../lib/api";

/**
 * A meeting's recordings (GetStream's, from its webhooks), with download
 * links, for the people the org's policy lets see them (`video.recordings.list`).
 * Nothing when there are none.
 */
export function RecordingsPanel({ meetingId }: { meetingId: Id<"meetings"> }) {
  const list = useQuery(videoRecordings, { meetingId });
  if (!list) return null;
  if (!list.allowed)
    return (
      <p className="panel muted" data-testid="recordings-policy">
        Recordings: {list.reason}.
      </p>
    );
  if (list.recordings.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="rec-h" data-testid="recordings">
      <h2 id="rec-h">Recordings</h2>
      <ul>
        {list.recordings.map((r) => (
          <li key={r.id}>
            {r.url ? (
              <a href={r.url} download={r.filename} rel="noreferrer" target="_blank">
                {r.filename}
              </a>
            ) : (
              r.filename
            )}{" "}
            <span className="muted">
              {r.startedAt ? new Date(r.startedAt).toLocaleString() : ""}
              {r.status === "fetching" ? " (being copied)" : ""}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
