"use client";

import { useMutation, useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import Link from "next/link";
import { useState } from "react";
import { api } from "../../convex/_generated/api";
import { type MeetingId, meetingsGet, participantsList } from "../lib/api";
import { when } from "../lib/format";
import { ProviderNote } from "./PromptFeedback";

type Insights = NonNullable<FunctionReturnType<typeof api.insights.forMeeting>["mine"]>;
type Section = "actionItems" | "keyTakeaways" | "decisions" | "followUps" | "recommendations";
type Source = Insights["actionItems"][number]["source"];

/** Where an item's link opens the replay: the transcript moment, or the notes (at the end). */
export function replayHref(meetingId: MeetingId, source: Source): string | null {
  if (!source) return null;
  return source.kind === "transcript"
    ? `/meetings/${meetingId}/replay?t=${source.at}`
    : `/meetings/${meetingId}/replay?note=${source.line}`;
}

function SourceLink({ meetingId, source }: { meetingId: MeetingId; source: Source }) {
  const href = replayHref(meetingId, source);
  if (!href) return null;
  return (
    <Link
      href={href}
      className="muted"
      data-testid="source-link"
      style={{ marginLeft: "0.4rem", fontSize: "0.85rem" }}
    >
      {source?.kind === "transcript" ? "▶ in the replay" : "in the notes"}
    </Link>
  );
}

/** Edit or dismiss one of the reader's own items. */
function ItemControls({
  meetingId,
  section,
  id,
  text,
  own,
}: {
  meetingId: MeetingId;
  section: Section;
  id: string;
  text: string;
  own: boolean;
}) {
  const update = useMutation(api.insightItems.update);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);
  if (!own) return null;
  const send = (args: { text?: string; status?: "open" | "dismissed" }) => {
    setError(null);
    update({ meetingId, section, itemId: id, ...args }).then(
      (r) => {
        if (!r.ok) setError(r.message);
        else setEditing(false);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <span style={{ marginLeft: "0.4rem", display: "inline-flex", gap: "0.3rem" }}>
      {editing ? (
        <>
          <input
            aria-label="Edit item"
            value={draft}
            maxLength={500}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="button" onClick={() => send({ text: draft })}>
            Save
          </button>
        </>
      ) : (
        <button type="button" className="link" onClick={() => setEditing(true)}>
          edit
        </button>
      )}
      <button
        type="button"
        className="link"
        onClick={() => send({ status: "dismissed" })}
        aria-label="Dismiss item"
      >
        dismiss
      </button>
      {error ? (
        <span role="alert" className="error">
          {error}
        </span>
      ) : null}
    </span>
  );
}

function List({
  title,
  section,
  items,
  meetingId,
  own,
}: {
  title: string;
  section: Section;
  items: readonly { id: string; text: string; source: Source; status: string; edited: boolean }[];
  meetingId: MeetingId;
  own: boolean;
}) {
  const open = items.filter((i) => i.status === "open");
  if (open.length === 0) return null;
  return (
    <section>
      <h3>{title}</h3>
      <ul>
        {open.map((x) => (
          <li key={x.id} data-testid={`insight-${section}`}>
            {x.text}
            {x.edited ? <span className="muted"> (edited)</span> : null}
            <SourceLink meetingId={meetingId} source={x.source} />
            <ItemControls
              meetingId={meetingId}
              section={section}
              id={x.id}
              text={x.text}
              own={own}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

const REC_LABEL = {
  connect: "Connect",
  follow_up: "Follow up",
  resource: "Resource",
  suggestion: "Suggestion",
} as const;

/** One participant's insights: summary, action items, takeaways and what to do next. */
function InsightsCard({
  insights,
  heading,
  meetingId,
  own,
}: {
  insights: Insights;
  heading: string;
  meetingId: MeetingId;
  own: boolean;
}) {
  const items = insights.actionItems.filter((a) => a.status === "open");
  const recs = insights.recommendations.filter((r) => r.status === "open");
  return (
    <article className="panel insights" aria-label={heading} data-testid="insights-card">
      <h2>{heading}</h2>
      <p data-testid="insights-summary">{insights.summary}</p>
      {items.length > 0 ? (
        <section>
          <h3>Action items</h3>
          <ul>
            {items.map((a) => (
              <li key={a.id} data-testid="action-item">
                {a.text}
                {a.edited ? <span className="muted"> (edited)</span> : null}
                {a.ownerName ? (
                  <span className="muted" data-testid="action-owner">
                    {" "}
                    — {a.ownerName}
                  </span>
                ) : null}
                {a.dueDate ? (
                  <span className="muted" title={a.due ?? undefined}>
                    {" "}
                    (due {a.dueDate})
                  </span>
                ) : a.due ? (
                  <span className="muted"> (due {a.due})</span>
                ) : null}
                <SourceLink meetingId={meetingId} source={a.source} />
                <ItemControls
                  meetingId={meetingId}
                  section="actionItems"
                  id={a.id}
                  text={a.text}
                  own={own}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <List
        title="Key takeaways"
        section="keyTakeaways"
        items={insights.keyTakeaways}
        meetingId={meetingId}
        own={own}
      />
      <List
        title="Decisions"
        section="decisions"
        items={insights.decisions}
        meetingId={meetingId}
        own={own}
      />
      <List
        title="Follow-ups"
        section="followUps"
        items={insights.followUps}
        meetingId={meetingId}
        own={own}
      />
      {recs.length > 0 ? (
        <section>
          <h3>Recommendations</h3>
          <ul>
            {recs.map((r) => (
              <li key={r.id} data-testid="recommendation">
                <span className="status">{REC_LABEL[r.type]}</span> {r.text}{" "}
                <span className="muted">({Math.round(r.confidence * 100)}% sure)</span>
                <SourceLink meetingId={meetingId} source={r.source} />
                <ItemControls
                  meetingId={meetingId}
                  section="recommendations"
                  id={r.id}
                  text={r.text}
                  own={own}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="muted">Generated {when(insights.generatedAt)}.</p>
      <ProviderNote
        provider={insights.provider}
        model={insights.model}
        fallbackReason={insights.fallbackReason}
      />
    </article>
  );
}

/**
 * Insights after a meeting: your own, and (for hosts and co-hosts) each
 * participant's, chosen from a list.
 */
export function InsightsView({ meetingId }: { meetingId: MeetingId }) {
  const meeting = useQuery(meetingsGet, { meetingId });
  // After the meeting loads: a malformed id is answered by `meetings.get` (NOT_FOUND) alone.
  const data = useQuery(api.insights.forMeeting, meeting ? { meetingId } : "skip");
  const people = useQuery(participantsList, meeting ? { meetingId } : "skip");
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
            <InsightsCard insights={data.mine} heading="Your insights" meetingId={meetingId} own />
          ) : (
            <p className="muted">There are no insights for you in this meeting.</p>
          )}
          {shown ? (
            <InsightsCard
              insights={shown}
              heading={`Insights for ${names.get(shown.userId) ?? "a participant"}`}
              meetingId={meetingId}
              own={false}
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
