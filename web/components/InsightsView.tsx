"use client";

import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import Link from "next/link";
import { useState } from "react";
import { api } from "../../convex/_generated/api";
import { type MeetingId, meetingsGet, participantsList } from "../lib/api";
import { when } from "../lib/format";

type Insights = NonNullable<FunctionReturnType<typeof api.insights.forMeeting>["mine"]>;

function List({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <section>
      <h3>{title}</h3>
      <ul>
        {items.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
    </section>
  );
}

/** One participant's insights: summary, action items, takeaways and what to do next. */
function InsightsCard({ insights, heading }: { insights: Insights; heading: string }) {
  return (
    <article className="panel insights" aria-label={heading} data-testid="insights-card">
      <h2>{heading}</h2>
      <p>{insights.summary}</p>
      {insights.actionItems.length > 0 ? (
        <section>
          <h3>Action items</h3>
          <ul>
            {insights.actionItems.map((a) => (
              <li key={a.text}>
                {a.text}
                {a.owner ? <span className="muted"> — {a.owner}</span> : null}
                {a.due ? <span className="muted"> (due {a.due})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <List title="Key takeaways" items={insights.keyTakeaways} />
      <List title="Decisions" items={insights.decisions} />
      <List title="Follow-ups" items={insights.followUps} />
      <List title="Recommendations" items={insights.recommendations} />
      <p className="muted">
        Generated {when(insights.generatedAt)} by the {insights.provider} provider.
      </p>
    </article>
  );
}

/**
 * Insights after a meeting: your own, and (for hosts and co-hosts) each
 * participant's, chosen from a list.
 */
export function InsightsView({ meetingId }: { meetingId: MeetingId }) {
  const meeting = useQuery(meetingsGet, { meetingId });
  const data = useQuery(api.insights.forMeeting, { meetingId });
  const people = useQuery(participantsList, { meetingId });
  const [selected, setSelected] = useState<string | null>(null);
  if (meeting === undefined || data === undefined) return <p className="muted">Loading…</p>;
  const names = new Map((people ?? []).map((p) => [p.userId as string, p.name]));
  const head = (
    <div className="pagehead">
      <h1>Insights: {meeting.title}</h1>
      <Link href={`/meetings/${meetingId}/replay`}>Replay the meeting</Link>
    </div>
  );
  if (meeting.status !== "ended") {
    return (
      <>
        {head}
        <p className="notice">
          Insights are written after the meeting ends.{" "}
          {meeting.status === "active" ? "This meeting is still live." : ""}
        </p>
      </>
    );
  }
  if (data.status === "none" || data.status === "pending") {
    return (
      <>
        {head}
        <p className="muted" role="status">
          Writing the insights from the notes and the transcript… this page updates by itself.
        </p>
      </>
    );
  }
  if (data.status === "failed") {
    return (
      <>
        {head}
        <p className="error" role="alert">
          We could not write the insights for this meeting. The team has the error; try again later.
        </p>
      </>
    );
  }
  const others = data.all.filter((r) => r.userId !== data.mine?.userId);
  const shown = others.find((r) => r.userId === selected) ?? null;
  return (
    <>
      {head}
      <div className="room" style={{ padding: 0 }}>
        <div className="room-main">
          {data.mine ? (
            <InsightsCard insights={data.mine} heading="Your insights" />
          ) : (
            <p className="muted">There are no insights for you in this meeting.</p>
          )}
          {shown ? (
            <InsightsCard
              insights={shown}
              heading={`Insights for ${names.get(shown.userId) ?? "a participant"}`}
            />
          ) : null}
        </div>
        {others.length > 0 ? (
          <aside className="room-side">
            <section className="panel" aria-labelledby="ip-h">
              <h2 id="ip-h">Participants</h2>
              <ul className="people">
                {others.map((r) => (
                  <li key={r.userId}>
                    <button
                      type="button"
                      className="link"
                      aria-pressed={selected === r.userId}
                      onClick={() => setSelected(r.userId)}
                    >
                      {names.get(r.userId) ?? "a participant"}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          </aside>
        ) : null}
      </div>
    </>
  );
}
