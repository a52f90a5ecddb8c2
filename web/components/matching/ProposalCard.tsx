"use client";

import { useMutation } from "convex/react";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { matchingRate, matchingRespond, type ProposalView } from "../../lib/api";
import { plainError, refusalText } from "../../lib/errors";
import { when } from "../../lib/format";
import { PersonChip } from "../PersonChip";

function Rate({ p }: { p: ProposalView }) {
  const rate = useMutation(matchingRate);
  const [rating, setRating] = useState(5);
  const [comment, setComment] = useState("");
  const [note, setNote] = useState<string | null>(null);
  if (p.myRating !== null) return <span className="muted">You rated it {p.myRating}/5.</span>;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await rate({ proposalId: p._id, rating, ...(comment.trim() ? { comment } : {}) });
      setNote(r.ok ? null : refusalText(r));
    } catch (err) {
      setNote(plainError(err));
    }
  };
  return (
    <form className="row" onSubmit={onSubmit} aria-label="Rate this match">
      <label>
        How was it?
        <select value={rating} onChange={(e) => setRating(Number(e.target.value))}>
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <input
        placeholder="A comment (optional)"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={1000}
      />
      <button type="submit" className="button secondary">
        Rate
      </button>
      {note ? <span role="alert">{note}</span> : null}
    </form>
  );
}

/** A proposal with its reasons, the slot, and the answer buttons (or its outcome). */
export function ProposalCard({ p }: { p: ProposalView }) {
  const respond = useMutation(matchingRespond);
  const [error, setError] = useState<string | null>(null);
  const answer = async (accept: boolean) => {
    setError(null);
    try {
      const r = await respond({ proposalId: p._id, accept });
      if (!r.ok) setError(refusalText(r));
    } catch (err) {
      setError(plainError(err));
    }
  };
  return (
    <article className="proposal" data-testid="proposal" data-status={p.status}>
      <div className="pagehead">
        <PersonChip person={p.other} />
        <span className={`status status-${p.status}`}>{p.status}</span>
      </div>
      <p>
        {when(p.slot.start)} · {Math.round((p.slot.end - p.slot.start) / 60_000)} min
      </p>
      <ul className="reasons" aria-label="Why you were matched">
        {p.reasons.map((r) => (
          <li key={r.text}>{r.text}</li>
        ))}
      </ul>
      {p.status === "pending" ? (
        p.myAnswer === "accepted" ? (
          <p role="status">
            You accepted; waiting for {p.other.name}. Answer by {when(p.deadline)}.
          </p>
        ) : (
          <div className="actions">
            <button type="button" className="button" onClick={() => void answer(true)}>
              Accept
            </button>
            <button type="button" className="button secondary" onClick={() => void answer(false)}>
              Decline
            </button>
            <span className="muted">
              Answer by {when(p.deadline)}
              {p.theirAnswer === "accepted" ? ` · ${p.other.name} accepted` : ""}
            </span>
          </div>
        )
      ) : null}
      {p.status === "accepted" && p.meetingId ? (
        <div className="actions">
          <Link href={`/meetings/${p.meetingId}`}>Open the meeting</Link>
          <Rate p={p} />
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </article>
  );
}
