/**
 * Proof of work for anonymous clients past a limit, after GlobaLeaks' submission tokens:
 * the server hands out a random question, the client finds a number n such that
 * SHA-256(question:n) starts with `bits` zero bits (2^bits hashes on average), and the
 * server checks it with one hash and accepts each question once.
 *
 * Why work and not a longer wait or a per-address count: an anonymous service knows nothing
 * of its callers but what they pay. Addresses are cheap for a guesser (20 of them in the
 * issue) and shared by honest people (a factory behind one NAT address); a puzzle costs the
 * same for each request whoever sends it, so a person pays seconds once while a flood pays
 * for every request. The question is stateless (issued-at, difficulty and a random nonce,
 * under an HMAC), so handing one out stores nothing; only spending one is recorded.
 *
 * WebCrypto only: the same code runs in the browser, in Node (tests, the embedded cloud)
 * and in Lambda.
 */

/** The answer to a refused request carries a question here. */
export const proofChallengeHeader = 'x-proof-challenge';
/** A request carries its solved question here: `question:n`. */
export const proofHeader = 'x-proof-of-work';
/** A question is good for ten minutes from when it was issued. */
export const proofLifetimeMs = 10 * 60_000;
/**
 * 2^18 ≈ 262,000 SHA-256 on average: a few seconds in a desktop browser, under half a
 * minute on a cheap phone (WebCrypto), and the same for every request of a flood.
 */
export const defaultProofBits = 18;

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

async function hmacKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/**
 * The key questions are signed with, derived from a deployment secret (the receipt key) so
 * that no new secret has to be kept, and so that the API and the embedded cloud's
 * per-address gate accept the same solved question.
 */
export async function proofKeyFrom(secret: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const key = await hmacKey(new Uint8Array(secret));
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', key, encoder.encode('qingling proof-of-work v1')),
  );
}

/** Zero bits at the start of a hash. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** A fresh question: `issuedAtMs.bits.nonce.mac`. */
export async function issueChallenge(
  key: Uint8Array<ArrayBuffer>,
  now: Date,
  bits: number,
): Promise<string> {
  const body = `${now.getTime()}.${bits}.${base64url(crypto.getRandomValues(new Uint8Array(12)))}`;
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(key), encoder.encode(body));
  return `${body}.${base64url(new Uint8Array(mac))}`;
}

/**
 * Checks a solved question (`question:n`): our own MAC, issued no more than its lifetime
 * ago (and not in the future), at least `minimumBits` hard, and the work done. Answers the
 * question's id (its nonce) for spending it once, or null.
 */
export async function checkProof(
  key: Uint8Array<ArrayBuffer>,
  proof: string,
  now: Date,
  minimumBits: number,
): Promise<{ id: string; expiresAt: Date } | null> {
  if (proof.length > 200) return null;
  const match = /^(\d{1,15})\.(\d{1,2})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43}):(\d{1,15})$/.exec(
    proof,
  );
  if (!match) return null;
  const [, issuedAt, bits, nonce, mac, answer] = match as unknown as string[];
  const body = `${issuedAt}.${bits}.${nonce}`;
  const macBytes = fromBase64url(mac ?? '');
  if (!macBytes) return null;
  // subtle.verify compares in constant time.
  if (!(await crypto.subtle.verify('HMAC', await hmacKey(key), macBytes, encoder.encode(body)))) {
    return null;
  }
  const age = now.getTime() - Number(issuedAt);
  if (age < -60_000 || age > proofLifetimeMs || Number(bits) < minimumBits) return null;
  const hash = new Uint8Array(
    await crypto.subtle.digest('SHA-256', encoder.encode(`${body}.${mac}:${answer}`)),
  );
  if (leadingZeroBits(hash) < Number(bits)) return null;
  return { id: nonce ?? '', expiresAt: new Date(Number(issuedAt) + proofLifetimeMs) };
}

/** How hard a question is, read from it (for showing progress). */
export function challengeBits(challenge: string): number {
  return Number(challenge.split('.')[1] ?? 0);
}

/**
 * Solves a question in the browser or in Node: tries n = 0, 1, 2… in batches (WebCrypto's
 * digest is asynchronous), telling `onProgress` how many were tried and how many a solution
 * takes on average. Answers the value of the proof header.
 */
export async function solveChallenge(
  challenge: string,
  options: { onProgress?: (tried: number, expected: number) => void; signal?: AbortSignal } = {},
): Promise<string> {
  const bits = challengeBits(challenge);
  const expected = 2 ** bits;
  const batch = 256;
  for (let start = 0; ; start += batch) {
    options.signal?.throwIfAborted();
    const hashes = await Promise.all(
      Array.from({ length: batch }, (_, offset) =>
        crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${start + offset}`)),
      ),
    );
    const found = hashes.findIndex((hash) => leadingZeroBits(new Uint8Array(hash)) >= bits);
    if (found >= 0) return `${challenge}:${start + found}`;
    if (start % 8192 === 0) options.onProgress?.(start + batch, expected);
  }
}
