/**
 * The link an enterprise principal opens to answer for one hazard, without an account: a
 * token that names the hazard and its expiry, signed with the deployment's link key. It
 * opens that hazard only and only until it expires; nothing about the tipster is in it.
 * Stateless, so it cannot be withdrawn one by one: rotating the key withdraws them all.
 */
export type AccessLinkRefusal = 'malformed' | 'bad_signature' | 'expired';

export type AccessLinkCheck =
  | { valid: true; hazardId: string }
  | { valid: false; reason: AccessLinkRefusal };

interface AccessLinkPayload {
  h: string;
  e: number;
  v: 1;
}

/** Far above a real token (~150 characters); refuses junk before any crypto is done. */
const maxTokenLength = 1024;

/** Fewer bytes than the hash's output would weaken HMAC-SHA256 (RFC 2104). */
const minKeyBytes = 32;

export async function importLinkKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length < minKeyBytes) {
    throw new RangeError(`a link key needs at least ${minKeyBytes} bytes, got ${raw.length}`);
  }
  return crypto.subtle.importKey(
    'raw',
    raw as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The bytes of a base64url text, or null. Only the one canonical spelling of the bytes is
 * accepted, so that no two tokens carry the same signature.
 */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
  return toBase64Url(bytes) === text ? bytes : null;
}

const encoder = new TextEncoder();

export async function createAccessLink(
  key: CryptoKey,
  link: { hazardId: string; expiresAt: Date },
): Promise<string> {
  const expiresAtSeconds = Math.floor(link.expiresAt.getTime() / 1000);
  if (!Number.isFinite(expiresAtSeconds)) throw new RangeError('the expiry is not a date');
  if (link.hazardId === '') throw new RangeError('a link needs a hazard id');
  const payload: AccessLinkPayload = { h: link.hazardId, e: expiresAtSeconds, v: 1 };
  const encodedPayload = toBase64Url(encoder.encode(JSON.stringify(payload)));
  // The signature covers the payload as it is written in the token, as in JWS.
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(encodedPayload));
  return `${encodedPayload}.${toBase64Url(new Uint8Array(signature))}`;
}

function isPayload(value: unknown): value is AccessLinkPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { h, e, v } = value as Record<string, unknown>;
  return typeof h === 'string' && h !== '' && Number.isSafeInteger(e) && v === 1;
}

/** The hazard a token opens at `now`, or why it opens nothing. */
export async function verifyAccessLink(
  key: CryptoKey,
  token: string,
  now: Date,
): Promise<AccessLinkCheck> {
  const refuse = (reason: AccessLinkRefusal): AccessLinkCheck => ({ valid: false, reason });
  if (token.length > maxTokenLength) return refuse('malformed');
  const [encodedPayload = '', encodedSignature = '', ...rest] = token.split('.');
  const payloadBytes = fromBase64Url(encodedPayload);
  const signature = fromBase64Url(encodedSignature);
  if (rest.length > 0 || !payloadBytes || !signature) return refuse('malformed');
  // WebCrypto's verify compares in constant time; the payload is read only once signed.
  const signed = await crypto.subtle.verify('HMAC', key, signature, encoder.encode(encodedPayload));
  if (!signed) return refuse('bad_signature');
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return refuse('malformed');
  }
  if (!isPayload(payload)) return refuse('malformed');
  // Valid through the whole second of its expiry, refused from the next one.
  if (Math.floor(now.getTime() / 1000) > payload.e) return refuse('expired');
  return { valid: true, hazardId: payload.h };
}
