/**
 * s3rver encrypts its ListObjectsV2 continuation tokens with single DES ('des', i.e. DES-CBC).
 * Node 17+ ships OpenSSL 3, which moved DES to the "legacy" provider: without
 * NODE_OPTIONS=--openssl-legacy-provider, every truncated listing (more than 1000 keys, or a
 * MaxKeys page) fails inside s3rver with a 500 InternalError.
 *
 * The provider cannot be loaded after start-up, so this installs an exact equivalent instead:
 * triple DES in EDE mode with three equal keys, E_K(D_K(E_K(x))) = E_K(x), is single DES and is
 * still in OpenSSL 3's default provider. Only calls asking for 'des'/'des-cbc' are redirected, and
 * only when this Node cannot do them itself (they would otherwise throw), so nothing that works
 * today changes. Installed once per process by startLocalServers; local and test processes only.
 */
import crypto from 'node:crypto';
import type { TransformOptions } from 'node:stream';

const DES_NAMES = new Set(['des', 'des-cbc']);
const DES_KEY_BYTES = 8;
let installed = false;

/** True when this process can run single DES natively (OpenSSL 1.x, or the legacy provider loaded). */
export function nativeDesAvailable(): boolean {
  try {
    crypto.createCipheriv('des', Buffer.alloc(DES_KEY_BYTES), Buffer.alloc(DES_KEY_BYTES));
    return true;
  } catch {
    return false;
  }
}

function tripleKey(key: crypto.CipherKey): crypto.CipherKey {
  const bytes =
    typeof key === 'string'
      ? Buffer.from(key, 'utf8')
      : ArrayBuffer.isView(key)
        ? Buffer.from(key.buffer, key.byteOffset, key.byteLength)
        : undefined;
  // Anything else (a KeyObject, a wrong length) goes through unchanged and fails as before.
  if (!bytes || bytes.length !== DES_KEY_BYTES) return key;
  return Buffer.concat([bytes, bytes, bytes]);
}

/** Makes `crypto.createCipheriv('des', …)` / `createDecipheriv('des', …)` work; returns whether it had to. */
export function ensureDesCipher(): boolean {
  if (installed || nativeDesAvailable()) return false;
  // The default import is the node:crypto module object itself, the one s3rver's `require('crypto')` gets.
  const target = crypto;
  const createCipheriv = target.createCipheriv;
  const createDecipheriv = target.createDecipheriv;
  target.createCipheriv = ((
    algorithm: string,
    key: crypto.CipherKey,
    iv: crypto.BinaryLike | null,
    options?: TransformOptions
  ) =>
    DES_NAMES.has(algorithm.toLowerCase())
      ? createCipheriv('des-ede3-cbc', tripleKey(key), iv, options)
      : createCipheriv(algorithm, key, iv, options)) as typeof crypto.createCipheriv;
  target.createDecipheriv = ((
    algorithm: string,
    key: crypto.CipherKey,
    iv: crypto.BinaryLike | null,
    options?: TransformOptions
  ) =>
    DES_NAMES.has(algorithm.toLowerCase())
      ? createDecipheriv('des-ede3-cbc', tripleKey(key), iv, options)
      : createDecipheriv(algorithm, key, iv, options)) as typeof crypto.createDecipheriv;
  installed = true;
  return true;
}
