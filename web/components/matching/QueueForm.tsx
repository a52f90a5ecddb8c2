"use client";

import { useMutation } from "convex/react";
import { type FormEvent, useState } from "react";
import { ROLES } from "../../../projections/matching/catalogue";
import { DURATIONS_MINUTES } from "../../../projections/matching/queueInput";
import { matchingEnter } from "../../lib/api";
import { plainError, refusalText } from "../../lib/errors";

type Role = (typeof ROLES)[number];

function local(ts: number): string {
  const d = new Date(ts);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** When you are free and whom you want to meet; enters (or updates) your place in the queue. */
export function QueueForm({ waiting }: { waiting: boolean }) {
  const enter = useMutation(matchingEnter);
  const [from, setFrom] = useState(() => local(Date.now()));
  const [to, setTo] = useState(() => local(Date.now() + 3 * 3_600_000));
  const [duration, setDuration] = useState<number>(30);
  const [interests, setInterests] = useState("");
  const [languages, setLanguages] = useState("");
  const [roles, setRoles] = useState<Role[]>([]);
  const [org, setOrg] = useState<"any" | "sameOrg" | "otherOrgs">("any");
  const [allowRepeat, setAllowRepeat] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const r = await enter({
        window: { start: new Date(from).getTime(), end: new Date(to).getTime() },
        durationMinutes: duration,
        constraints: {
          interests: list(interests),
          languages: list(languages),
          roles,
          org,
          allowRepeat,
        },
      });
      if (!r.ok) setError(refusalText(r));
    } catch (err) {
      setError(plainError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={onSubmit} aria-label="Meet someone">
      <h2>{waiting ? "Change what you are looking for" : "When are you free?"}</h2>
      <div className="row">
        <label>
          From
          <input
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            required
          />
        </label>
        <label>
          Until
          <input
            type="datetime-local"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            required
          />
        </label>
        <label>
          Minutes
          <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
            {DURATIONS_MINUTES.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
      </div>
      <details>
        <summary>Only meet people who… (optional)</summary>
        <div className="form">
          <label>
            share one of these interests <span className="muted">(comma-separated)</span>
            <input value={interests} onChange={(e) => setInterests(e.target.value)} />
          </label>
          <label>
            speak one of these languages <span className="muted">(codes, e.g. en)</span>
            <input value={languages} onChange={(e) => setLanguages(e.target.value)} />
          </label>
          <fieldset className="checks">
            <legend>have one of these roles</legend>
            {ROLES.map((r) => (
              <label key={r}>
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  onChange={(e) =>
                    setRoles((x) => (e.target.checked ? [...x, r] : x.filter((y) => y !== r)))
                  }
                />
                {r}
              </label>
            ))}
          </fieldset>
          <label>
            work at
            <select value={org} onChange={(e) => setOrg(e.target.value as typeof org)}>
              <option value="any">any organisation</option>
              <option value="sameOrg">my organisation</option>
              <option value="otherOrgs">other organisations</option>
            </select>
          </label>
          <label className="checks">
            <input
              type="checkbox"
              checked={allowRepeat}
              onChange={(e) => setAllowRepeat(e.target.checked)}
            />
            I am happy to meet someone again
          </label>
        </div>
      </details>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        {waiting ? "Update" : "Find someone to meet"}
      </button>
    </form>
  );
}
