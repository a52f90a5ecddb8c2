"use client";

import { useMutation } from "convex/react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { RequireSignIn } from "../../../components/RequireSignIn";
import { meetingsSchedule } from "../../../lib/api";
import { plainError, refusalText } from "../../../lib/errors";

function inAnHour(): string {
  const d = new Date(Date.now() + 60 * 60 * 1000);
  d.setSeconds(0, 0);
  const off = d.getTimezoneOffset() * 60_000;
  return new Date(d.getTime() - off).toISOString().slice(0, 16);
}

function ScheduleForm() {
  const schedule = useMutation(meetingsSchedule);
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [at, setAt] = useState(inAnHour);
  const [duration, setDuration] = useState(30);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const scheduledAt = new Date(at).getTime();
    if (!title.trim()) return setError("Give the meeting a title.");
    if (Number.isNaN(scheduledAt)) return setError("Pick a date and time.");
    setBusy(true);
    try {
      const r = await schedule({
        title: title.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        scheduledAt,
        durationMinutes: duration,
        idempotencyKey: crypto.randomUUID(),
      });
      if (!r.ok) {
        setError(refusalText(r));
        setBusy(false);
        return;
      }
      router.push(`/meetings/${r.meetingId}`);
    } catch (err) {
      setError(plainError(err));
      setBusy(false);
    }
  };
  return (
    <form className="card narrow form" onSubmit={onSubmit}>
      <h1>Schedule a meeting</h1>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
      </label>
      <label>
        Description <span className="muted">(optional)</span>
        <textarea
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={3}
          maxLength={2000}
        />
      </label>
      <div className="row">
        <label>
          When
          <input
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            required
          />
        </label>
        <label>
          Minutes
          <input
            type="number"
            min={5}
            max={480}
            step={5}
            value={duration}
            onChange={(e) => setDuration(Number(e.target.value))}
          />
        </label>
      </div>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Scheduling…" : "Schedule"}
      </button>
    </form>
  );
}

/** Schedule a new meeting; you become its host. */
export default function NewMeetingPage() {
  return (
    <div className="page">
      <RequireSignIn>
        <ScheduleForm />
      </RequireSignIn>
    </div>
  );
}
