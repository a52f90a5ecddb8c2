"use client";

import { useQuery } from "convex/react";
import { type MeetingId, meetingsGet } from "../lib/api";
import { colourFor } from "../lib/devUsers";
import { useMe } from "../lib/me";
import { useNotes } from "../lib/useNotes";
import { AutoJoin } from "./AutoJoin";
import { ChatPanel } from "./ChatPanel";
import { CallPanel } from "./call/CallPanel";
import { ErrorBoundary } from "./ErrorBoundary";
import { MeetingControls } from "./MeetingControls";
import { NotesEditor } from "./NotesEditor";
import { ParticipantsPanel } from "./ParticipantsPanel";
import { PrecallIdeas } from "./PrecallIdeas";
import { PromptsPanel } from "./PromptsPanel";
import { RsvpBar } from "./RsvpBar";
import { SyncBadge } from "./SyncBadge";
import { TranscriptPane } from "./TranscriptPane";
import { TranscriptSimulator } from "./TranscriptSimulator";

/** The meeting room: the call, notes, transcript, people and chat. */
export function MeetingRoom({ meetingId }: { meetingId: MeetingId }) {
  const meeting = useQuery(meetingsGet, { meetingId });
  const { me } = useMe();
  const open = meeting && meeting.status !== "cancelled";
  const notes = useNotes(open ? meetingId : null, me?.subject ?? null);
  if (meeting === undefined || !me) return <p className="page muted">Opening the meeting…</p>;
  if (meeting === null) {
    return (
      <p className="page error" role="alert">
        We could not find this meeting. The link may be wrong, or it was deleted.
      </p>
    );
  }
  if (meeting.status === "cancelled") {
    return (
      <section className="page">
        <div className="card narrow">
          <h1>{meeting.title}</h1>
          <p role="status">
            This meeting was cancelled, so there are no notes or transcript to show.
          </p>
        </div>
      </section>
    );
  }
  const isHost = meeting.myRole === "host" || meeting.myRole === "cohost";
  const live = meeting.status === "active";
  const canWrite = meeting.myRole !== "observer";
  return (
    <div className="room">
      <div className="room-head">
        <AutoJoin meeting={meeting} />
        <h1>{meeting.title}</h1>
        <span className={`status status-${meeting.status}`}>{live ? "live" : meeting.status}</span>
        {notes.session ? <SyncBadge status={notes.status} /> : null}
        <div style={{ marginLeft: "auto" }}>
          <MeetingControls meeting={meeting} isHost={isHost} />
        </div>
      </div>
      {meeting.myStatus === "invited" ? <RsvpBar meetingId={meetingId} /> : null}
      <div className="room-main">
        {live ? (
          <ErrorBoundary>
            <CallPanel meeting={meeting} isHost={isHost} />
          </ErrorBoundary>
        ) : null}
        <section className="panel" aria-labelledby="notes-h">
          <h2 id="notes-h">Shared notes</h2>
          {meeting.status === "ended" && canWrite ? (
            <p className="muted" data-testid="notes-after-end">
              The meeting has ended. Edits still save, and the insights are made again from the
              edited notes.
            </p>
          ) : null}
          {notes.error ? (
            <p role="alert" className="error">
              {notes.error}
            </p>
          ) : notes.session ? (
            <NotesEditor
              doc={notes.session.doc}
              awareness={notes.session.awareness}
              user={{ name: me.name, color: colourFor(me.name) }}
              editable={canWrite}
            />
          ) : (
            <p className="muted">Opening the notes…</p>
          )}
        </section>
        <section className="panel" aria-labelledby="tx-h">
          <h2 id="tx-h">Transcript</h2>
          <ErrorBoundary>
            <TranscriptPane meetingId={meetingId} />
          </ErrorBoundary>
          {live ? (
            <TranscriptSimulator
              meetingId={meetingId}
              speaker={me.name}
              startedAt={meeting.startedAt ?? Date.now()}
            />
          ) : null}
        </section>
      </div>
      <aside className="room-side" aria-label="Meeting details">
        <ErrorBoundary>
          <ParticipantsPanel
            meetingId={meetingId}
            awareness={notes.session?.awareness ?? null}
            canInvite={isHost && meeting.status !== "ended"}
            isHost={meeting.myRole === "host"}
          />
        </ErrorBoundary>
        <ErrorBoundary>
          <PrecallIdeas
            meetingId={meetingId}
            status={meeting.status}
            startedAt={meeting.startedAt ?? null}
          />
        </ErrorBoundary>
        <ErrorBoundary>
          <PromptsPanel meetingId={meetingId} />
        </ErrorBoundary>
        <ErrorBoundary>
          <ChatPanel meetingId={meetingId} canSend={live} canModerate={isHost} />
        </ErrorBoundary>
      </aside>
    </div>
  );
}
