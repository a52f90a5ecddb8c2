"use client";

import Link from "next/link";
import { signOut, useDevUser } from "../lib/devSession";
import { colourFor } from "../lib/devUsers";

/** Top bar: product name, navigation and who is signed in. */
export function Header() {
  const user = useDevUser();
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        Connvo
      </Link>
      <nav aria-label="Main">
        <Link href="/">Meetings</Link>
        <Link href="/meetings/new">Schedule</Link>
      </nav>
      <div className="who">
        {user ? (
          <>
            <span className="avatar" style={{ background: colourFor(user.name) }} aria-hidden>
              {user.name.slice(0, 1)}
            </span>
            <span data-testid="signed-in-as">{user.name}</span>
            <span className="devtag" title="Local development sign-in (no WorkOS configured)">
              dev
            </span>
            <button type="button" className="link" onClick={() => signOut()}>
              Sign out
            </button>
          </>
        ) : user === null ? (
          <Link href="/sign-in">Sign in</Link>
        ) : null}
      </div>
    </header>
  );
}
