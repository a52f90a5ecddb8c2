/**
 * AES-GCM `crypto.subtle.encrypt` / `decrypt` answered inline in the engine's
 * process, with the same bytes and the same errors.
 *
 * Node runs each WebCrypto cipher call as a job on its thread pool: a round
 * trip per call (a promise job, a pool thread, a wake-up of the main thread).
 * `convex/lib/personalData.ts` seals every message, transcript chunk and chat
 * line with AES-GCM, so an import batch of 500 messages made 500 round trips;
 * on a shared 2-core machine the main thread sat idle waiting for the pool
 * thread to be scheduled (CPU profile of issue 19's messages table: 13% idle,
 * 22% in the job dispatch). Convex's function runtime answers these calls inside
 * the isolate, so this is the engine's cost only; here the same cipher runs
 * through `node:crypto` (OpenSSL, as Node's WebCrypto does) and the promise
 * resolves at once.
 *
 * Only AES-GCM with a 128-bit tag on a key allowed for the operation takes this
 * path (the only use in `convex/`); anything else goes to Node's own
 * implementation unchanged, which also raises the errors for bad arguments. A
 * failed authentication rejects with `OperationError`, as WebCrypto does.
 */
import {
  type CipherGCM,
  type CipherGCMTypes,
  createCipheriv,
  createDecipheriv,
  type DecipherGCM,
  KeyObject,
} from "node:crypto";

const TAG_BYTES = 16;

type GcmParams = {
  name: string;
  iv: BufferSource;
  additionalData?: BufferSource;
  tagLength?: number;
};

function bytesOf(b: BufferSource): Uint8Array {
  if (b instanceof Uint8Array) return b;
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return new Uint8Array(b);
}

function gcmKey(
  params: unknown,
  key: CryptoKey,
  usage: KeyUsage,
): { p: GcmParams; bits: number } | null {
  const p = params as GcmParams | null;
  if (typeof p !== "object" || p === null || typeof p.name !== "string") return null;
  if (p.name.toUpperCase() !== "AES-GCM" || key.algorithm.name !== "AES-GCM") return null;
  if ((p.tagLength ?? 128) !== 128 || !key.usages.includes(usage)) return null;
  const bits = (key.algorithm as AesKeyAlgorithm).length;
  if (bits !== 128 && bits !== 192 && bits !== 256) return null;
  if (!p.iv || bytesOf(p.iv).byteLength === 0) return null;
  return { p, bits };
}

function operationError(): DOMException {
  return new DOMException(
    "The operation failed for an operation-specific reason",
    "OperationError",
  );
}

let installed = false;

/** Answer AES-GCM encrypt/decrypt of `globalThis.crypto.subtle` inline (once per process). */
export function installInlineAesGcm(): void {
  if (installed) return;
  const subtle = globalThis.crypto.subtle;
  const encrypt = subtle.encrypt.bind(subtle);
  const decrypt = subtle.decrypt.bind(subtle);
  subtle.encrypt = ((params, key, data) => {
    const gcm = gcmKey(params, key, "encrypt");
    if (!gcm) return encrypt(params, key, data);
    try {
      const mode = `aes-${gcm.bits}-gcm` as CipherGCMTypes;
      const c: CipherGCM = createCipheriv(mode, KeyObject.from(key), bytesOf(gcm.p.iv));
      if (gcm.p.additionalData) c.setAAD(bytesOf(gcm.p.additionalData));
      const head = c.update(bytesOf(data));
      const tail = c.final();
      const out = new Uint8Array(head.length + tail.length + TAG_BYTES);
      out.set(head);
      out.set(tail, head.length);
      out.set(c.getAuthTag(), head.length + tail.length);
      return Promise.resolve(out.buffer);
    } catch {
      return encrypt(params, key, data);
    }
  }) as SubtleCrypto["encrypt"];
  subtle.decrypt = ((params, key, data) => {
    const gcm = gcmKey(params, key, "decrypt");
    if (!gcm) return decrypt(params, key, data);
    const bytes = bytesOf(data);
    if (bytes.byteLength < TAG_BYTES) return Promise.reject(operationError());
    try {
      const mode = `aes-${gcm.bits}-gcm` as CipherGCMTypes;
      const d: DecipherGCM = createDecipheriv(mode, KeyObject.from(key), bytesOf(gcm.p.iv));
      if (gcm.p.additionalData) d.setAAD(bytesOf(gcm.p.additionalData));
      d.setAuthTag(bytes.subarray(bytes.byteLength - TAG_BYTES));
      const head = d.update(bytes.subarray(0, bytes.byteLength - TAG_BYTES));
      const tail = d.final();
      const out = new Uint8Array(head.length + tail.length);
      out.set(head);
      out.set(tail, head.length);
      return Promise.resolve(out.buffer);
    } catch {
      return Promise.reject(operationError());
    }
  }) as SubtleCrypto["decrypt"];
  installed = true;
}
