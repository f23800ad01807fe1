import { type NodeCrypto, type NodeSecretKey, nodeCrypto } from '../event-log/node-crypto.ts';
import { digitsFromBytes, receiptFromDigits } from './receipt.ts';

/**
 * Keyed functions behind anonymous tips. The receipt is drawn from the client's one-time
 * idempotency key with the deployment's secret, so a retried submission gets the same
 * receipt (and so the same tip) while nobody without the secret can predict one. The tip's
 * id is a second keyed hash, of the receipt: the receipt itself is stored nowhere.
 */
export async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  if (nodeCrypto) {
    return new Uint8Array(
      nodeCrypto.createHmac('sha256', nodeKey(nodeCrypto, key)).update(message, 'utf8').digest(),
    );
  }
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(key), new TextEncoder().encode(message)),
  );
}

/**
 * Each key prepared once (a tip's intake signs with it three times; the key's holder keeps
 * the same bytes for the process), and held no longer than the bytes it was made from.
 * Under Node, a KeyObject signed with synchronously: WebCrypto's sign, a job and a promise
 * for each of a tip's three hashes, took ten times the CPU (issue 13). Elsewhere (a
 * browser), a non-extractable CryptoKey: importing was a third of the hashes' CPU.
 */
const nodeKeys = new WeakMap<Uint8Array, NodeSecretKey>();

function nodeKey(node: NodeCrypto, key: Uint8Array): NodeSecretKey {
  let prepared = nodeKeys.get(key);
  if (!prepared) {
    prepared = node.createSecretKey(key);
    nodeKeys.set(key, prepared);
  }
  return prepared;
}

const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  let imported = importedKeys.get(key);
  if (!imported) {
    imported = crypto.subtle.importKey(
      'raw',
      key as BufferSource,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    // A failed import is not kept: the next call tries again.
    imported.catch(() => importedKeys.delete(key));
    importedKeys.set(key, imported);
  }
  return imported;
}

const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array, length: number): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && output.length < length) {
      output += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return output;
}

export async function receiptFor(key: Uint8Array, idempotencyKey: string): Promise<string> {
  return receiptFromDigits(digitsFromBytes(await hmac(key, `receipt:${idempotencyKey}`)));
}

/** 26 base32 characters (130 bits): the tip's id, its stream and the officers' reference. */
export async function tipIdFor(key: Uint8Array, receipt: string): Promise<string> {
  return base32(await hmac(key, `tip:${receipt}`), 26);
}

/**
 * A tip's content digest, to tell a true retry from a different tip. Keyed, under its own
 * label. It never covers the reward phone (only whether one was given): a digest of the
 * phone beside the rest of the tip would give it away to whoever hashes the few hundred
 * million mobile numbers with the key (tips/intake.ts).
 */
export async function tipContentDigest(key: Uint8Array, value: string): Promise<string> {
  return base32(await hmac(key, `content:${value}`), 26);
}

/** An unkeyed digest, for what holds nothing personal (a hazard's identity). */
export async function contentDigest(value: string): Promise<string> {
  if (nodeCrypto) return base32(nodeCrypto.createHash('sha256').update(value, 'utf8').digest(), 26);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return base32(new Uint8Array(digest), 26);
}
