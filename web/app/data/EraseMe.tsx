"use client";

import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { api } from "../../../convex/_generated/api";

/** What the person types; the server checks the same words (`ERASE_CONFIRMATION`, convex/erasure.ts). */
const CONFIRMATION = "erase my data";

function errorText(e: unknown): string {
  const data = (e as { data?: { message?: string } }).data;
  return data?.message ?? (e instanceof Error ? e.message : String(e));
}

/** Erase yourself: typed confirmation, then the run's progress (`erasure.status`). */
export function EraseMe() {
  const erase = useMutation(api.erasure.eraseMe);
  const status = useQuery(api.erasure.status, {});
  const [typed, setTyped] = useState("");
  const [note, setNote] = useState<string | null>(null);
  return (
    <section className="card">
      <h2>Erase my data</h2>
      <p>
        Removes your profile, your matching data and personal insights, the text you wrote in
        meeting notes, what you said in transcripts and wrote in chat and direct messages (replaced
        by “[erased]”), and destroys your encryption key. Other people’s notes, words and replays
        stay. Mails already sent and files already downloaded cannot be reached. This cannot be
        undone.
      </p>
      <label>
        Type <code>{CONFIRMATION}</code> to confirm:{" "}
        <input
          data-testid="erase-confirm"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </label>{" "}
      <button
        type="button"
        data-testid="erase-me"
        disabled={typed.trim().toLowerCase() !== CONFIRMATION}
        onClick={async () => {
          try {
            await erase({ confirm: typed });
            setNote(null);
          } catch (e) {
            setNote(errorText(e));
          }
        }}
      >
        Erase my data
      </button>
      {note ? <p className="muted">{note}</p> : null}
      {status ? (
        <p className="muted" data-testid="erase-status">
          {status.phase === "done"
            ? `Erased (${status.meetingsDone} meetings, ${status.rowsChanged} records changed).`
            : `Erasing… ${status.meetingsDone} meetings done so far.`}
        </p>
      ) : null}
    </section>
  );
}
