/**
 * A Merkle tree as RFC 6962/9162 defines it (§2.1): a leaf hashes as SHA-256(0x00 ‖ data),
 * two subtrees as SHA-256(0x01 ‖ left ‖ right), n items split at the largest power of two
 * below n, and an empty tree's hash is SHA-256 of nothing. The prefixes keep a leaf from
 * passing for a node. Hashes travel as lower-case hex. Pure; Web Crypto, so the public page
 * checks proofs in the browser with the same code.
 */

const encoder = new TextEncoder();

const toHex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

function fromHex(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('not a SHA-256 hash in hex');
  const bytes = new Uint8Array(32);
  for (let index = 0; index < 32; index += 1) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

async function sha256(...parts: Uint8Array[]): Promise<string> {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return toHex(await crypto.subtle.digest('SHA-256', joined));
}

/** The hash of an empty tree: SHA-256 of no bytes. */
export const emptyTreeHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A leaf's hash: SHA-256(0x00 ‖ UTF-8 data). */
export function leafHash(data: string): Promise<string> {
  return sha256(Uint8Array.of(0), encoder.encode(data));
}

/** An inner node's hash: SHA-256(0x01 ‖ left ‖ right), over the raw 32-byte hashes. */
export function nodeHash(left: string, right: string): Promise<string> {
  return sha256(Uint8Array.of(1), fromHex(left), fromHex(right));
}

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The tree hash over items already hashed (leaf hashes, or the hashes of whole subtrees
 * of equal power-of-two size but the last, which combine exactly as their leaves would).
 */
export async function treeHash(hashes: readonly string[]): Promise<string> {
  if (hashes.length === 0) return emptyTreeHash;
  if (hashes.length === 1) return hashes[0] as string;
  const k = split(hashes.length);
  return nodeHash(await treeHash(hashes.slice(0, k)), await treeHash(hashes.slice(k)));
}

/** The audit path of item `index` (RFC 6962 PATH): sibling hashes, nearest the item first. */
export async function auditPath(index: number, hashes: readonly string[]): Promise<string[]> {
  if (index < 0 || index >= hashes.length) throw new Error(`no item ${index} in the tree`);
  if (hashes.length === 1) return [];
  const k = split(hashes.length);
  return index < k
    ? [...(await auditPath(index, hashes.slice(0, k))), await treeHash(hashes.slice(k))]
    : [...(await auditPath(index - k, hashes.slice(k))), await treeHash(hashes.slice(0, k))];
}

/**
 * The root an audit path leads to from a leaf hash at `index` of a tree of `size` leaves
 * (RFC 9162 §2.1.3.2), or null when the path cannot belong to such a tree. Equal to the
 * published root only if the leaf is in the published tree at that place.
 */
export async function rootFromPath(
  leaf: string,
  index: number,
  size: number,
  path: readonly string[],
): Promise<string | null> {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) {
    return null;
  }
  if (!path.every((hash) => /^[0-9a-f]{64}$/.test(hash))) return null;
  let fn = index;
  let sn = size - 1;
  let root = leaf;
  for (const sibling of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      root = await nodeHash(sibling, root);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      root = await nodeHash(root, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? root : null;
}
