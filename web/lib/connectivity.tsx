"use client";

import { useConvex } from "convex/react";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";

/**
 * Why 4 s: the Convex WebSocket connects in well under a second when the
 * engine is reachable; a page still without it after this long (or one that
 * lost it that long ago) is working from what this device has.
 */
export const CONNECT_PATIENCE_MS = 4_000;

const OfflineContext = createContext(false);

/**
 * True while the app works without its backend: the browser reports no
 * network, or the Convex connection has been down for
 * {@link CONNECT_PATIENCE_MS} (a server that cannot be reached looks the same
 * to a person). Pages then show what this device has (cached meetings, notes
 * from IndexedDB) instead of waiting for queries that cannot answer.
 */
export function useOffline(): boolean {
  return useContext(OfflineContext);
}

/** Provides {@link useOffline} from the browser's network flag and the app's Convex client. */
export function ConnectivityProvider({ children }: { children: ReactNode }) {
  const client = useConvex();
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const clear = () => {
      if (timer) clearTimeout(timer);
      timer = null;
    };
    const check = () => {
      if (!navigator.onLine) {
        clear();
        setOffline(true);
        return;
      }
      if (client.connectionState().isWebSocketConnected) {
        clear();
        setOffline(false);
        return;
      }
      timer ??= setTimeout(() => {
        timer = null;
        if (!client.connectionState().isWebSocketConnected) setOffline(true);
      }, CONNECT_PATIENCE_MS);
    };
    check();
    const stop = client.subscribeToConnectionState(check);
    window.addEventListener("online", check);
    window.addEventListener("offline", check);
    return () => {
      clear();
      stop();
      window.removeEventListener("online", check);
      window.removeEventListener("offline", check);
    };
  }, [client]);
  return <OfflineContext.Provider value={offline}>{children}</OfflineContext.Provider>;
}
