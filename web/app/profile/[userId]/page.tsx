"use client";

import { useQuery } from "convex/react";
import { useParams } from "next/navigation";
import type { Id } from "../../../../convex/_generated/dataModel";
import { ErrorBoundary } from "../../../components/ErrorBoundary";
import { PersonActions } from "../../../components/matching/PersonActions";
import { PersonChip } from "../../../components/PersonChip";
import { Provisioned } from "../../../components/Provisioned";
import { RequireSignIn } from "../../../components/RequireSignIn";
import { profilesGet } from "../../../lib/api";

function Chips({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul className="chips">
        {items.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
    </>
  );
}

function Profile({ userId }: { userId: Id<"users"> }) {
  const p = useQuery(profilesGet, { userId });
  if (p === undefined) return <p className="muted">Loading…</p>;
  if (p === null) return <p role="alert">We could not find that person.</p>;
  const flags = [
    p.offersMentoring ? "offers mentoring" : null,
    p.seeksMentoring ? "looking for a mentor" : null,
    p.openToCollaborate ? "open to collaborating" : null,
  ].filter((x): x is string => x !== null);
  return (
    <section className="card">
      <div className="pagehead">
        <h1>
          <PersonChip
            person={{
              userId: p.userId,
              name: p.name,
              headline: p.headline,
              avatarUrl: p.avatarUrl,
            }}
            link={false}
          />
        </h1>
        <PersonActions userId={p.userId} />
      </div>
      <p className="muted">
        {[p.jobTitle, p.company, p.industry, p.role, p.experience].filter(Boolean).join(" · ")}
      </p>
      {p.bio ? <p>{p.bio}</p> : null}
      <Chips title="Interests" items={p.interests.map((i) => i.label)} />
      <Chips title="Skills" items={p.skills} />
      <Chips title="Wants to learn" items={p.learning} />
      <Chips title="Languages" items={p.languages} />
      <Chips title="Open to" items={flags} />
      {p.links.length ? (
        <ul>
          {p.links.map((l) => (
            <li key={l.url}>
              <a href={l.url} rel="noopener noreferrer nofollow" target="_blank">
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Someone's public profile. */
export default function PersonPage() {
  const { userId } = useParams<{ userId: string }>();
  return (
    <div className="page">
      <RequireSignIn>
        <Provisioned>
          <ErrorBoundary>
            <Profile userId={userId as Id<"users">} />
          </ErrorBoundary>
        </Provisioned>
      </RequireSignIn>
    </div>
  );
}
