/**
 * A Hocuspocus 4.7 server for the baselines, run as a child process (its own
 * core, like a real server). Prints `READY <port>` on stdout when listening.
 * Document `cold` is preloaded from the V1 state file named by
 * `BENCH_COLD_STATE` (if set); every document is "stored" in memory with the
 * default debounce (2 s, max 10 s), like a deployment's onStoreDocument.
 */
import { readFileSync } from "node:fs";
import { Server } from "@hocuspocus/server";
import * as Y from "yjs";

const coldPath = process.env.BENCH_COLD_STATE;
const coldState = coldPath ? new Uint8Array(readFileSync(coldPath)) : null;
const stored = new Map<string, Uint8Array>();

const server = new Server({
  port: 0,
  quiet: true,
  async onLoadDocument({ documentName, document }) {
    if (documentName === "cold" && coldState) Y.applyUpdate(document, coldState);
    return document;
  },
  async onStoreDocument({ documentName, document }) {
    stored.set(documentName, Y.encodeStateAsUpdate(document));
  },
});

server.listen().then(
  () => {
    process.stdout.write(`READY ${server.address.port}\n`);
  },
  (e: unknown) => {
    process.stderr.write(`hocuspocus failed to listen: ${String(e)}\n`);
    process.exit(1);
  },
);

const stop = () => {
  server.destroy().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGTERM", stop);
// stdin closing means the bench process is gone: never outlive it.
process.stdin.on("end", stop);
process.stdin.resume();
