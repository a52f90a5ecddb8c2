"use client";

import Link from "next/link";
import type { PersonCard } from "../lib/api";
import { colourFor } from "../lib/devUsers";

/** A person's avatar (uploaded image, or their initial) with name and headline, linking to their profile. */
export function PersonChip({ person, link = true }: { person: PersonCard; link?: boolean }) {
  const face = person.avatarUrl ? (
    // biome-ignore lint/performance/noImgElement: avatars come from Convex storage URLs, not Next's image pipeline.
    <img className="avatar avatar-img" src={person.avatarUrl} alt="" width={28} height={28} />
  ) : (
    <span className="avatar" style={{ background: colourFor(person.name) }} aria-hidden>
      {person.name.slice(0, 1)}
    </span>
  );
  const name = link ? (
    <Link href={`/profile/${person.userId}`}>{person.name}</Link>
  ) : (
    <strong>{person.name}</strong>
  );
  return (
    <span className="person">
      {face}
      <span>
        {name}
        {person.headline ? <span className="muted"> · {person.headline}</span> : null}
      </span>
    </span>
  );
}
