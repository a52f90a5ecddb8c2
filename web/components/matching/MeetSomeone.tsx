"use client";

import { useMutation, useQuery } from "convex/react";
import { matchingLeave, matchingStatus } from "../../lib/api";
import { when } from "../../lib/format";
import { ProposalCard } from "./ProposalCard";
import { QueueForm } from "./QueueForm";

/** Queue status (reactive), the current proposal with its reasons, and recent ones. */
export function MeetSomeone() {
  const status = useQuery(matchingStatus, {});
  const leave = useMutation(matchingLeave);
  if (status === undefined) return <p className="muted">Loading…</p>;
  const e = status.entry;
  const waiting = e?.status === "waiting";
  return (
    <>
      <div className="pagehead">
        <h1>Meet someone</h1>
      </div>
      <p data-testid="queue-status" data-status={e?.status ?? "none"}>
        {e === null
          ? "You are not in the queue."
          : waiting
            ? `Looking for someone to meet, free ${when(e.window.start)}–${when(e.window.end)} (${e.durationMinutes} min). Waiting since ${when(e.waitingSince)}.`
            : e.status === "proposed"
              ? "We found someone for you: answer below."
              : e.status === "matched"
                ? "You were matched: the meeting is in your list."
                : e.status === "expired"
                  ? "Your window has passed without a match."
                  : "You left the queue."}
        {waiting || e?.status === "proposed" ? (
          <>
            {" "}
            <button type="button" className="link" onClick={() => void leave({})}>
              Leave the queue
            </button>
          </>
        ) : null}
      </p>
      {status.enabled ? null : (
        <p className="muted" data-testid="matching-off">
          Matching is turned off on this deployment for now; your past proposals stay below.
        </p>
      )}
      {status.proposal ? <ProposalCard p={status.proposal} /> : null}
      {e?.status !== "proposed" && status.enabled ? <QueueForm waiting={waiting} /> : null}
      {status.recent.length > 0 ? (
        <section aria-labelledby="h-recent">
          <h2 id="h-recent">Recent matches</h2>
          <div className="list">
            {status.recent.map((p) => (
              <ProposalCard key={p._id} p={p} />
            ))}
          </div>
        </section>
      ) : null}
    </>
  );
}
