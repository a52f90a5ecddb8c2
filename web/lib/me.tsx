"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";
import { signOut as devSignOut, useDevUser } from "./devSession";

/** How people sign in to this deployment. */
export type AuthMode = "workos" | "dev";

/** The signed-in person as the UI shows them (carets, header). */
export type Me = { subject: string; name: string; email: string };

type MeState = {
  /** `undefined` while unknown (server render, session loading); `null` when signed out. */
  me: Me | null | undefined;
  mode: AuthMode;
  signOut: () => void;
};

const MeContext = createContext<MeState>({ me: undefined, mode: "dev", signOut: () => undefined });

/** Who is signed in, whatever the sign-in method. */
export function useMe(): MeState {
  return useContext(MeContext);
}

/** Provides {@link useMe} from the local development sign-in. */
export function DevMeProvider({ children }: { children: ReactNode }) {
  const user = useDevUser();
  const value = useMemo<MeState>(() => ({ me: user, mode: "dev", signOut: devSignOut }), [user]);
  return <MeContext.Provider value={value}>{children}</MeContext.Provider>;
}

/** Provides {@link useMe} from values another sign-in method computed. */
export function MeProvider({ value, children }: { value: MeState; children: ReactNode }) {
  return <MeContext.Provider value={value}>{children}</MeContext.Provider>;
}
