/**
 * Fetching a GetStream recording into Convex storage (when the deployment sets
 * `GETSTREAM_STORE_RECORDINGS=1`): the provider's signed URL expires, a file in
 * Convex storage does not. Size-capped (`GETSTREAM_RECORDING_MAX_BYTES`), with
 * a timeout; a failure leaves the row `failed` with the reason, and the
 * provider URL stays listed while it lasts.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { env, internalAction, internalMutation } from "../_generated/server";

/**
 * Why 64 MiB: an action of Convex's default runtime holds the file in memory
 * (64 MiB there); ~30 min of 720p. Larger files stay at GetStream's URL.
 */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** Why 5 min: a large file over a slow link; the action's own limit is 10 min. */
const FETCH_TIMEOUT_MS = 5 * 60_000;

function maxBytes(): number {
  const n = Number(env.GETSTREAM_RECORDING_MAX_BYTES);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_BYTES;
}

/** The recording's URL, if it still waits to be fetched (internal). */
export const pending = internalMutation({
  args: { recordingId: v.id("recordings") },
  returns: v.union(v.string(), v.null()),
  handler: async (ctx, { recordingId }) => {
    const r = await ctx.db.get("recordings", recordingId);
    return r?.status === "fetching" ? r.url : null;
  },
});

/** Record the fetch's outcome (internal). */
export const finish = internalMutation({
  args: {
    recordingId: v.id("recordings"),
    storageId: v.optional(v.id("_storage")),
    bytes: v.optional(v.number()),
    error: v.optional(v.string()),
  },
  returns: v.null(),
  handler: async (ctx, { recordingId, storageId, bytes, error }) => {
    const r = await ctx.db.get("recordings", recordingId);
    if (r?.status !== "fetching") {
      // Fetched twice (a retried schedule): keep the first file, drop this one.
      if (storageId) await ctx.storage.delete(storageId);
      return null;
    }
    await ctx.db.patch(
      "recordings",
      recordingId,
      storageId
        ? { status: "stored", storageId, bytes }
        : { status: "failed", fetchError: error ?? "unknown error" },
    );
    return null;
  },
});

/** Download the file and store it (scheduled by the recording-ready webhook). */
export const fetchIntoStorage = internalAction({
  args: { recordingId: v.id("recordings") },
  returns: v.null(),
  handler: async (ctx, { recordingId }) => {
    const url = await ctx.runMutation(internal.video.recordingFiles.pending, { recordingId });
    if (url === null) return null;
    const cap = maxBytes();
    let error: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      const declared = Number(res.headers.get("content-length") ?? "0");
      if (!res.ok) error = `GetStream's file answered ${res.status}`;
      else if (declared > cap) error = `the file (${declared} bytes) is over the cap of ${cap}`;
      else {
        const blob = await res.blob();
        if (blob.size > cap) error = `the file (${blob.size} bytes) is over the cap of ${cap}`;
        else {
          const storageId = await ctx.storage.store(blob);
          await ctx.runMutation(internal.video.recordingFiles.finish, {
            recordingId,
            storageId,
            bytes: blob.size,
          });
          return null;
        }
      }
    } catch (e) {
      error = `fetching the file failed: ${(e as Error).message}`;
    }
    await ctx.runMutation(internal.video.recordingFiles.finish, { recordingId, error });
    return null;
  },
});
