"use client";

import { useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { type MeetingId, type MeetingSummary, meetingsGet } from "../lib/api";
import { useOffline } from "../lib/connectivity";
import { colourFor } from "../lib/devUsers";
import { useMe } from "../lib/me";
import { rememberedMeeting, rememberMeeting } from "../lib/offlineCopies";
import { useNotes } from "../lib/useNotes";
import { AutoJoin } from "./AutoJoin";
import { ChatPanel } from "./ChatPanel";
import { CallPanel } from "./call/CallPanel";
import { RecordingsPanel } from "./call/RecordingsPanel";
import { ErrorBoundary } from "./ErrorBoundary";
import { MeetingControls } from "./MeetingControls";
import { NotesEditor } from "./NotesEditor";
import { ParticipantsPanel } from "./ParticipantsPanel";
import { PrecallIdeas } from "./PrecallIdeas";
import { PromptsPanel } from "./PromptsPanel";
import { type RoomTab, RoomTabs } from "./RoomTabs";
import { RsvpBar } from "./RsvpBar";
import { SyncBadge } from "./SyncBadge";
import { TranscriptPane } from "./TranscriptPane";
import { TranscriptSimulator } from "./TranscriptSimulator";

/**
 * The meeting as the room shows it: live from the server, or — offline, before
 * the server has answered — the copy this browser kept when the person last
 * opened it. The copy stays in use until the live answer arrives, so the room
 * (and its notes editor) is not torn down in between.
 */
function useRoomMeeting(meetingId: MeetingId, subject: string | null) {
  const live = useQuery(meetingsGet, { meetingId });
  const offline = useOffline();
  const [copy, setCopy] = useState<MeetingSummary | null | undefined>(undefined);
  const [usingCopy, setUsingCopy] = useState(false);
  useEffect(() => {
    if (subject) setCopy(rememberedMeeting(subject, meetingId));
  }, [subject, meetingId]);
  useEffect(() => {
    if (live && subject) rememberMeeting(subject, live);
  }, [live, subject]);
  const fromCopy = live === undefined && (offline || usingCopy);
  useEffect(() => {
    if (live !== undefined) setUsingCopy(false);
    else if (offline && copy) setUsingCopy(true);
  }, [live, offline, copy]);
  return { meeting: live ?? (fromCopy ? copy : undefined), fromCopy, offline };
}

/** The meeting room: the call, notes, transcript, people and chat. */
export function MeetingRoom({ meetingId }: { meetingId: MeetingId }) {
  const { me } = useMe();
  const { meeting, fromCopy, offline } = useRoomMeeting(meetingId, me?.subject ?? null);
  const open = meeting && meeting.status !== "cancelled";
  const notes = useNotes(open ? meetingId : null, me?.subject ?? null);
  const [tab, setTab] = useState<RoomTab>("notes");
  if (meeting === null && fromCopy) {
    return (
      <section className="page">
        <div className="card narrow">
          <h1>Not available offline</h1>
          <p role="status" data-testid="offline-not-kept">
            You are offline, and this meeting was not opened on this device before, so there is
            nothing of it to show yet. It opens as soon as you are back online.
          </p>
        </div>
      </section>
    );
  }
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
  const call = live && !fromCopy;
  const tabs: RoomTab[] = call
    ? ["notes", "call", "transcript", "people"]
    : ["notes", "transcript", "people"];
  const shown = tabs.includes(tab) ? tab : "notes";
  return (
    <div className={`room room-tab-${shown}`}>
      <div className="room-head">
        {fromCopy ? null : <AutoJoin meeting={meeting} />}
        <h1>{meeting.title}</h1>
        <span className={`status status-${meeting.status}`}>{live ? "live" : meeting.status}</span>
        {notes.session ? <SyncBadge status={notes.status} pending={notes.pending} /> : null}
        <div className="room-actions">
          {fromCopy ? null : <MeetingControls meeting={meeting} isHost={isHost} />}
        </div>
      </div>
      {offline ? (
        <p role="status" className="offline-banner" data-testid="offline-banner">
          <strong>Offline — changes will sync.</strong>{" "}
          {fromCopy ? "This is the meeting as this device last saw it. " : ""}
          Keep writing: your notes are kept on this device and reach everyone when you are back
          online.
        </p>
      ) : null}
      {!fromCopy && meeting.myStatus === "invited" ? <RsvpBar meetingId={meetingId} /> : null}
      <RoomTabs tab={shown} tabs={tabs} onChange={setTab} />
      <div className="room-main">
        {call ? (
          <div data-tab="call">
            <ErrorBoundary>
              <CallPanel meeting={meeting} isHost={isHost} />
            </ErrorBoundary>
          </div>
        ) : null}
        <section className="panel" aria-labelledby="notes-h" data-tab="notes">
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
        <section className="panel" aria-labelledby="tx-h" data-tab="transcript">
          <h2 id="tx-h">Transcript</h2>
          {fromCopy ? (
            <p className="muted">The transcript shows when you are back online.</p>
          ) : (
            <ErrorBoundary>
              <TranscriptPane meetingId={meetingId} />
            </ErrorBoundary>
          )}
          {call ? (
            <TranscriptSimulator
              meetingId={meetingId}
              speaker={me.name}
              startedAt={meeting.startedAt ?? Date.now()}
            />
          ) : null}
        </section>
      </div>
      <aside className="room-side" aria-label="Meeting details" data-tab="people">
        {fromCopy ? (
          <p className="panel muted">People, ideas and chat show when you are back online.</p>
        ) : (
          <>
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
            <ErrorBoundary>
              <RecordingsPanel meetingId={meetingId} />
            </ErrorBoundary>
          </>
        )}
      </aside>
    </div>
  );
}
