"use client";

import Link from "next/link";
import { colourFor } from "../lib/devUsers";
import { useMe } from "../lib/me";
import { forgetOfflineCopies } from "../lib/offlineCopies";

/** Top bar: product name, navigation and who is signed in. */
export function Header() {
  const { me, mode, signOut } = useMe();
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        Connvo
      </Link>
      <nav aria-label="Main">
        <Link href="/">Meetings</Link>
        <Link href="/meetings/new">Schedule</Link>
        <Link href="/meet">Meet someone</Link>
        <Link href="/connections">Connections</Link>
        <Link href="/messages">Messages</Link>
        <Link href="/search">Search</Link>
        <Link href="/data">Your data</Link>
        <Link href="/profile">Profile</Link>
        <Link href="/console">Console</Link>
        {me ? <Link href="/mailbox">Mailbox</Link> : null}
      </nav>
      <div className="who">
        {me ? (
          <>
            <span className="avatar" style={{ background: colourFor(me.name) }} aria-hidden>
              {me.name.slice(0, 1)}
            </span>
            <span data-testid="signed-in-as">{me.name}</span>
            {mode === "dev" ? (
              <span className="devtag" title="Local development sign-in (no WorkOS configured)">
                dev
              </span>
            ) : null}
            <button
              type="button"
              className="link"
              onClick={() => {
                void forgetOfflineCopies();
                signOut();
              }}
            >
              Sign out
            </button>
          </>
        ) : me === null ? (
          <a href={mode === "workos" ? "/auth/sign-in" : "/sign-in"}>Sign in</a>
        ) : null}
      </div>
    </header>
  );
}
