/**
 * The engine's inline AES-GCM (`engine/webcrypto-inline.ts`) against Node's own
 * WebCrypto: the same bytes both ways (each decrypts what the other encrypted,
 * with and without additional data, every key size), `OperationError` on a
 * tampered ciphertext, a wrong key or wrong additional data, and other
 * algorithms and bad arguments left to Node.
 */
import { describe, expect, it } from "vitest";

const subtle = globalThis.crypto.subtle;
const nodeEncrypt = subtle.encrypt.bind(subtle);
const nodeDecrypt = subtle.decrypt.bind(subtle);
const { installInlineAesGcm } = await import("../../engine/webcrypto-inline");
installInlineAesGcm();

const enc = new TextEncoder();
const key = async (bits: number) =>
  await subtle.importKey(
    "raw",
    crypto.getRandomValues(new Uint8Array(bits / 8)),
    "AES-GCM",
    false,
    ["encrypt", "decrypt"],
  );
const bytes = (b: ArrayBuffer) => [...new Uint8Array(b)];

describe("inline AES-GCM", () => {
  it("gives Node's bytes and opens what Node sealed, every key size, with and without AAD", async () => {
    for (const bits of [128, 192, 256]) {
      const k = await key(bits);
      for (const additionalData of [undefined, enc.encode("users|abc")]) {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const params = { name: "AES-GCM", iv, ...(additionalData ? { additionalData } : {}) };
        for (const text of ["", "héllo 👋 wörld", "x".repeat(5000)]) {
          const plain = enc.encode(text);
          const mine = await subtle.encrypt(params, k, plain);
          expect(bytes(mine)).toEqual(bytes(await nodeEncrypt(params, k, plain)));
          expect(bytes(await nodeDecrypt(params, k, mine))).toEqual([...plain]);
          expect(bytes(await subtle.decrypt(params, k, mine))).toEqual([...plain]);
        }
      }
    }
  });

  it("rejects a tampered ciphertext, a wrong key and wrong AAD with OperationError", async () => {
    const k = await key(256);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const params = { name: "AES-GCM", iv, additionalData: enc.encode("a") };
    const sealed = new Uint8Array(await subtle.encrypt(params, k, enc.encode("secret")));
    const tampered = sealed.slice();
    tampered[0]! ^= 1;
    const cases = [
      subtle.decrypt(params, k, tampered),
      subtle.decrypt(params, await key(256), sealed),
      subtle.decrypt({ ...params, additionalData: enc.encode("b") }, k, sealed),
      subtle.decrypt(params, k, sealed.slice(0, 8)),
    ];
    for (const c of cases) await expect(c).rejects.toMatchObject({ name: "OperationError" });
  });

  it("leaves other algorithms and keys without the usage to Node", async () => {
    const cbc = await subtle.importKey("raw", new Uint8Array(16), "AES-CBC", false, ["encrypt"]);
    const iv = new Uint8Array(16);
    const out = await subtle.encrypt({ name: "AES-CBC", iv }, cbc, enc.encode("x"));
    expect(bytes(out)).toEqual(
      bytes(await nodeEncrypt({ name: "AES-CBC", iv }, cbc, enc.encode("x"))),
    );
    const encOnly = await subtle.importKey("raw", new Uint8Array(32), "AES-GCM", false, [
      "encrypt",
    ]);
    await expect(
      subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, encOnly, new Uint8Array(32)),
    ).rejects.toMatchObject({ name: "InvalidAccessError" });
  });
});
