import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Header } from "../components/Header";
import { OfflineSupport } from "../components/OfflineSupport";
import { engineUrl, workosConfigured } from "../lib/serverConfig";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Connvo meetings",
  description: "Meetings with collaborative notes, live transcript, replay and insights.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/** The shell of every page: header, main landmark, and the Convex client. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Read the engine URL per request, not at build time.
  await connection();
  const url = engineUrl();
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        {url ? (
          <OfflineSupport>
            <Providers convexUrl={url} authMode={workosConfigured() ? "workos" : "dev"}>
              <Header />
              <main id="main">{children}</main>
            </Providers>
          </OfflineSupport>
        ) : (
          <main id="main" className="page">
            <h1>Connvo is not configured</h1>
            <p role="alert">
              Set <code>CONVEX_URL</code> to the engine or Convex deployment URL, then restart the
              web app (<code>bash scripts/start.sh</code> does this for you).
            </p>
          </main>
        )}
      </body>
    </html>
  );
}
