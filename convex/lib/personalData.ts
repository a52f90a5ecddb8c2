/**
 * Personal text at rest: envelope encryption with one key per person, so
 * erasing a person can shred their key and leave every old row of theirs
 * unreadable (crypto-shredding; see README "Erasure").
 *
 * - A person's data key (AES-GCM 256, random) is stored in `personKeys`
 *   wrapped by the deployment's master key (`CONNVO_PII_MASTER_KEY`, base64
 *   of 32 bytes). Unset, the named local default {@link LOCAL_DEV_PII_MASTER_KEY}
 *   is used: fine for the embedded engine and tests, never for production.
 * - Sealed text is `pii1:<personKeys id>:<base64(iv ‖ ciphertext)>`; the
 *   row carries `piiSeal: 1`. Rows without `piiSeal` are plaintext (written
 *   before this existed) and read as they are.
 * - Every reader opens rows through {@link openTranscriptRow},
 *   {@link openChatRow} or {@link openMessageRow}; a shredded key opens as
 *   {@link ERASED_TEXT} / {@link ERASED_NAME}.
 *
 * WebCrypto (`crypto.subtle`) runs in Convex's default runtime, in queries
 * and mutations; IVs come from `crypto.getRandomValues`.
 *
 * Every subscriber's query opens the same new rows, and every transcript chunk
 * seals its speaker's name again: without memory of what was opened, one live
 * meeting cost a few WebCrypto round trips per row per reader. So this module
 * remembers, per process (an isolate may keep its globals between calls; only
 * speed depends on it), opened data keys and opened text. Shredding still wins:
 * a key row is read in every function run before anything remembered is used,
 * and a missing row opens as erased whatever was remembered.
 */
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";

/** The local default master key ("local-dev-only-pii-master-key-00"): development and tests only. */
export const LOCAL_DEV_PII_MASTER_KEY = "bG9jYWwtZGV2LW9ubHktcGlpLW1hc3Rlci1rZXktMDA=";
/** Environment variable holding the deployment's master key (base64 of 32 random bytes). */
export const MASTER_KEY_ENV = "CONNVO_PII_MASTER_KEY";
/** The `piiSeal` version this code writes. */
export const PII_SEAL_VERSION = 1;
/** What an erased person's text reads as. */
export const ERASED_TEXT = "[erased]";
/** The issuer of an erased person's user row: not a URL, so no token can ever carry it. */
export const ERASED_ISSUER = "erased";
/** What an erased person's name reads as. */
export const ERASED_NAME = "Erased person";

const PREFIX = "pii1:";
/** Why 12: the IV length AES-GCM is specified for (NIST SP 800-38D). */
const IV_BYTES = 12;

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function randomIv(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(IV_BYTES));
}

async function aesKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

async function seal(key: CryptoKey, plain: Uint8Array<ArrayBuffer>, aad: string) {
  const iv = randomIv();
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: utf8.encode(aad) },
      key,
      plain,
    ),
  );
  const out = new Uint8Array(IV_BYTES + ct.length);
  out.set(iv);
  out.set(ct, IV_BYTES);
  return out;
}

async function unseal(key: CryptoKey, sealed: Uint8Array<ArrayBuffer>, aad: string) {
  return new Uint8Array(
    await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: sealed.slice(0, IV_BYTES), additionalData: utf8.encode(aad) },
      key,
      sealed.slice(IV_BYTES),
    ),
  );
}

let masterCache: { b64: string; key: Promise<CryptoKey> } | null = null;

/** Why: a meeting's people and a page of their rows, many times over, in a few MB. */
const REMEMBERED_KEYS = 2_000;
const REMEMBERED_TEXTS = 20_000;
/** Why: only short repeated values (a speaker's name) are sealed once and reused. */
const REUSABLE_SEAL_CHARS = 200;

/** A map that forgets its oldest entries past `limit` (insertion order). */
class Bounded<V> extends Map<string, V> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: string, value: V): this {
    super.set(key, value);
    if (this.size > this.limit) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return this;
  }
}

/** Data keys opened in this process, by `personKeys` id, with the wrapped bytes they came from. */
const openedKeys = new Bounded<{ wrapped: string; key: Promise<CryptoKey> }>(REMEMBERED_KEYS);
/** Text opened in this process, by its sealed form (`pii1:<key id>:…`). */
const openedTexts = new Bounded<string>(REMEMBERED_TEXTS);
/** Short values sealed in this process, by key id and plaintext (the same name, sealed once). */
const sealedTexts = new Bounded<string>(REMEMBERED_TEXTS);

/** The master key (from the environment, else the named local default). */
function masterKey(): Promise<CryptoKey> {
  const b64 = env.CONNVO_PII_MASTER_KEY || LOCAL_DEV_PII_MASTER_KEY;
  if (masterCache?.b64 !== b64) {
    const raw = fromBase64(b64);
    if (raw.length !== 32) throw new Error(`${MASTER_KEY_ENV} must be base64 of 32 bytes`);
    masterCache = { b64, key: aesKey(raw) };
    // What was opened under another master key is not this deployment's to reuse.
    openedKeys.clear();
    openedTexts.clear();
    sealedTexts.clear();
  }
  return masterCache.key;
}

/**
 * What this function run already looked up: data keys opened, by `personKeys`
 * id (null: shredded or unknown), and each owner's current key id (so a
 * transaction sealing many rows of one person, an import batch of their
 * messages, reads their key row once).
 */
type RunKeys = { opened: Map<string, CryptoKey | null>; own: Map<Id<"users">, Id<"personKeys">> };
const runKeys = new WeakMap<object, RunKeys>();

function runKeysOf(ctx: QueryCtx): RunKeys {
  let r = runKeys.get(ctx);
  if (!r) {
    r = { opened: new Map(), own: new Map() };
    runKeys.set(ctx, r);
  }
  return r;
}

async function keyById(ctx: QueryCtx, keyId: string): Promise<CryptoKey | null> {
  const cache = runKeysOf(ctx).opened;
  if (cache.has(keyId)) return cache.get(keyId)!;
  const id = ctx.db.normalizeId("personKeys", keyId);
  // Read in every run, remembered or not: a shredded key is gone for every reader at once.
  const row = id ? await ctx.db.get("personKeys", id) : null;
  let key: CryptoKey | null = null;
  if (row) {
    const master = await masterKey();
    const wrapped = new Uint8Array(row.wrapped);
    const tag = toBase64(wrapped);
    let known = openedKeys.get(keyId);
    if (known?.wrapped !== tag) {
      known = { wrapped: tag, key: unseal(master, wrapped, row.userId).then(aesKey) };
      openedKeys.set(keyId, known);
      known.key.catch(() => openedKeys.delete(keyId));
    }
    key = await known.key;
  } else {
    openedKeys.delete(keyId);
  }
  cache.set(keyId, key);
  return key;
}

/** The person's current data key, created (and wrapped) on first use. */
async function ownKey(ctx: MutationCtx, userId: Id<"users">): Promise<Id<"personKeys">> {
  const own = runKeysOf(ctx).own;
  const known = own.get(userId);
  if (known) return known;
  const row = await ctx.db
    .query("personKeys")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .first();
  let id = row?._id;
  if (!id) {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const wrapped = await seal(await masterKey(), raw, userId);
    id = await ctx.db.insert("personKeys", {
      userId,
      wrapped: wrapped.buffer,
      createdAt: Date.now(),
    });
  }
  own.set(userId, id);
  return id;
}

/** Seal `plain` with `owner`'s data key. */
export async function sealText(
  ctx: MutationCtx,
  owner: Id<"users">,
  plain: string,
  reuse = false,
): Promise<string> {
  const keyId = await ownKey(ctx, owner);
  const key = (await keyById(ctx, keyId))!;
  // Sealing the same short value twice under one key may give the same text: it only shows
  // that two of one person's rows hold the same name, which the rows show anyway.
  const reusable = reuse && plain.length <= REUSABLE_SEAL_CHARS;
  const memo = `${keyId}\u0000${plain}`;
  const known = reusable ? sealedTexts.get(memo) : undefined;
  if (known) return known;
  const sealed = `${PREFIX}${keyId}:${toBase64(await seal(key, utf8.encode(plain), keyId))}`;
  if (reusable) sealedTexts.set(memo, sealed);
  // The readers of a row just appended (its subscribers, the projectors) open it from memory.
  openedTexts.set(sealed, plain);
  return sealed;
}

/** Open text read from a row with `piiSeal` set; `erased` when the key is gone. */
export async function openText(ctx: QueryCtx, value: string, erased: string): Promise<string> {
  if (!value.startsWith(PREFIX)) return value;
  const rest = value.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  const keyId = rest.slice(0, colon);
  const key = await keyById(ctx, keyId);
  if (!key) return erased;
  const known = openedTexts.get(value);
  if (known !== undefined) return known;
  const plain = fromUtf8.decode(await unseal(key, fromBase64(rest.slice(colon + 1)), keyId));
  openedTexts.set(value, plain);
  return plain;
}

/** The `users` id in `id`, when it names one (speakers may be system components). */
function personOf(ctx: QueryCtx, id: string): Id<"users"> | null {
  return ctx.db.normalizeId("users", id);
}

type TranscriptInput = { data: Doc<"transcriptEvents">["data"]; piiSeal?: number };
type ChatInput = { authorId: string; data: Doc<"chatEvents">["data"]; piiSeal?: number };

/** A transcript row to append with the speaker's name and text sealed under their key. */
export async function sealTranscriptRow<R extends TranscriptInput>(
  ctx: MutationCtx,
  row: R,
): Promise<R> {
  const owner = personOf(ctx, row.data.speakerId);
  if (!owner || row.piiSeal !== undefined) return row;
  const [speaker, text] = [
    await sealText(ctx, owner, row.data.speaker, true),
    await sealText(ctx, owner, row.data.text),
  ];
  return { ...row, piiSeal: PII_SEAL_VERSION, data: { ...row.data, speaker, text } };
}

/** A chat row to append with its text sealed under the author's key. */
export async function sealChatRow<R extends ChatInput>(ctx: MutationCtx, row: R): Promise<R> {
  const owner = personOf(ctx, row.authorId);
  if (!owner || row.piiSeal !== undefined || row.data.text === undefined) return row;
  const text = await sealText(ctx, owner, row.data.text);
  return { ...row, piiSeal: PII_SEAL_VERSION, data: { ...row.data, text } };
}

/** A transcript row as readers see it: plaintext, `piiSeal` cleared. */
export async function openTranscriptRow<R extends TranscriptInput>(
  ctx: QueryCtx,
  row: R,
): Promise<R> {
  if (row.piiSeal === undefined) return row;
  const speaker = await openText(ctx, row.data.speaker, ERASED_NAME);
  const text = await openText(ctx, row.data.text, ERASED_TEXT);
  const { piiSeal: _sealed, ...rest } = row;
  return { ...rest, data: { ...row.data, speaker, text } } as R;
}

/** A chat row as readers see it: plaintext, `piiSeal` cleared. */
export async function openChatRow<R extends ChatInput>(ctx: QueryCtx, row: R): Promise<R> {
  if (row.piiSeal === undefined || row.data.text === undefined) return row;
  const text = await openText(ctx, row.data.text, ERASED_TEXT);
  const { piiSeal: _sealed, ...rest } = row;
  return { ...rest, data: { ...row.data, text } } as R;
}

/** A direct message as readers see it. */
export async function openMessageRow<R extends { text: string; piiSeal?: number }>(
  ctx: QueryCtx,
  row: R,
): Promise<R> {
  if (row.piiSeal === undefined) return row;
  const { piiSeal: _sealed, ...rest } = row;
  return { ...rest, text: await openText(ctx, row.text, ERASED_TEXT) } as R;
}

/** Shred `userId`'s data keys: every row sealed under them opens as erased from now on. */
export async function shredKeys(ctx: MutationCtx, userId: Id<"users">): Promise<number> {
  const rows = await ctx.db
    .query("personKeys")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(100);
  for (const r of rows) await ctx.db.delete("personKeys", r._id);
  runKeys.delete(ctx);
  return rows.length;
}
