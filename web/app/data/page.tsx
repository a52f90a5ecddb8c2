"use client";

import { useAction, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { RequireSignIn } from "../../components/RequireSignIn";
import { EraseMe } from "./EraseMe";

/** Save text as a file in the browser. */
function saveText(fileName: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

function errorText(e: unknown): string {
  const data = (e as { data?: { message?: string } }).data;
  return data?.message ?? (e instanceof Error ? e.message : String(e));
}

function MyData() {
  const exportMine = useAction(api.exportData.mine);
  const [state, setState] = useState<string | null>(null);
  const [link, setLink] = useState<{ url: string; expiresAt: number } | null>(null);
  return (
    <section className="card">
      <h1>Your data</h1>
      <p>
        Download everything Connvo holds about you as one JSON file: your account and profile, your
        meetings, what you said in their transcripts, wrote in their chat and in their notes, your
        insights, your connections and direct messages. Other people’s words are not in it.
      </p>
      <button
        type="button"
        data-testid="export-mine"
        onClick={async () => {
          setState("Preparing…");
          try {
            const out = await exportMine({});
            setLink({ url: out.url, expiresAt: out.expiresAt });
            setState(null);
          } catch (e) {
            setState(errorText(e));
          }
        }}
      >
        Prepare my data (JSON)
      </button>
      {state ? <p className="muted">{state}</p> : null}
      {link ? (
        <p>
          <a href={link.url} download="connvo-export.json" data-testid="export-link">
            Download connvo-export.json
          </a>{" "}
          <span className="muted">
            (deleted from the server at {new Date(link.expiresAt).toLocaleTimeString()})
          </span>
        </p>
      ) : null}
    </section>
  );
}

function MeetingRow({ id, title, host }: { id: Id<"meetings">; title: string; host: boolean }) {
  const markdown = useAction(api.exportMeeting.markdown);
  const recap = useAction(api.exportMeeting.shareRecap);
  const [note, setNote] = useState<string | null>(null);
  return (
    <li>
      {title}{" "}
      <button
        type="button"
        className="link"
        onClick={async () => {
          try {
            const md = await markdown({ meetingId: id });
            saveText(md.fileName, md.markdown, "text/markdown");
          } catch (e) {
            setNote(errorText(e));
          }
        }}
      >
        Markdown
      </button>
      {host ? (
        <>
          {" · "}
          <button
            type="button"
            className="link"
            onClick={async () => {
              try {
                const r = await recap({ meetingId: id });
                setNote(`Recap mailed to ${r.sent} people (those with a verified email).`);
              } catch (e) {
                setNote(errorText(e));
              }
            }}
          >
            Mail the recap to everyone
          </button>
        </>
      ) : null}
      {note ? <span className="muted"> {note}</span> : null}
    </li>
  );
}

function Meetings() {
  const mine = useQuery(api.meetings.listMine, {});
  if (mine === undefined) return <p className="muted">Loading…</p>;
  const all = [...mine.live, ...mine.past, ...mine.upcoming];
  return (
    <section className="card">
      <h2>Meetings as Markdown</h2>
      <p className="muted">
        Notes, decisions, action items and the whole transcript of a meeting. Hosts and co-hosts can
        mail the recap to the meeting’s people.
      </p>
      {all.length === 0 ? <p className="muted">No meetings yet.</p> : null}
      <ul>
        {all.map((m) => (
          <MeetingRow
            key={m._id}
            id={m._id}
            title={m.title}
            host={m.myRole === "host" || m.myRole === "cohost"}
          />
        ))}
      </ul>
    </section>
  );
}

/** `/data` — download your data, meetings as Markdown, recaps; erase yourself. */
export default function DataPage() {
  return (
    <div className="page">
      <RequireSignIn>
        <MyData />
        <Meetings />
        <EraseMe />
      </RequireSignIn>
    </div>
  );
}
