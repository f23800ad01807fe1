import { canonicalJson } from './canonical-json.ts';
import { nodeCrypto } from './node-crypto.ts';

/**
 * An append-only, hash-chained log of what happened to one record (a hazard or a tip).
 * Each event names who did what and when, and carries the hash of the event before it, so
 * that rewriting history breaks the chain (谁检查、谁签名、谁负责).
 */
export interface Actor {
  kind: 'person' | 'tipster' | 'system' | 'enterprise';
  /** A person's user id; for a tipster or an enterprise link, never anything identifying. */
  id: string;
  name?: string;
}

/** What a record kind's events have in common: each of its union's members is one. */
export interface EventShape<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export interface NewEvent<Type extends string = string, Data = unknown>
  extends EventShape<Type, Data> {
  at: string;
  actor: Actor;
  /** A client's retry key or a step key: the same key is never recorded twice. */
  idempotencyKey?: string;
  /**
   * The digest of the request a client's key was recorded for, when the event's data
   * cannot show it (see requestDigest in idempotency.ts): a retry must match it.
   */
  requestDigest?: string;
}

export interface RecordedEvent<Type extends string = string, Data = unknown>
  extends NewEvent<Type, Data> {
  stream: string;
  /** 1 for the first event of a stream, then 2, 3… with no gaps. */
  sequence: number;
  previousHash: string;
  hash: string;
  /**
   * How the hash was taken: absent (1) over the data as it is; 2 over the data with each
   * sealed field (a key ending in `Sealed`: a tipster's phone, bank details) replaced by the
   * digest of its ciphertext, so that the ciphertext can later be erased (replaced by a
   * tombstone carrying that digest, erasedSeal) and the chain still verifies.
   */
  hashVersion?: 2;
}

/**
 * A record kind's events as its log holds them: each member of the kind's union (a
 * HazardEvent, a TipEvent…) with the log's own fields, so that a fold narrows on `type`.
 */
export type Recorded<Event extends EventShape> = Event extends EventShape
  ? RecordedEvent<Event['type'], Event['data']>
  : never;

/** The hash before the first event of every stream. */
export const genesisHash = '0'.repeat(64);

/** Node's hash where there is one (WebCrypto's digest was 3 % of an escalation burst's CPU). */
async function sha256Hex(text: string): Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whether a key holds a sealed (encrypted) value: hashed by its digest from version 2. */
export const isSealedKey = (key: string) => key.endsWith('Sealed');

/** What an erased sealed value is replaced by: the digest of the ciphertext it held. */
const tombstonePrefix = 'erased:sha256:';

export const isErasedSeal = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(tombstonePrefix);

/** The digest of a sealed value: of its ciphertext, or the one its tombstone carries. */
const sealDigest = async (sealed: string) =>
  isErasedSeal(sealed) ? sealed.slice(tombstonePrefix.length) : sha256Hex(sealed);

/** The tombstone of a sealed value (its ciphertext's digest), to write in its place. */
export const erasedSeal = async (sealed: string) => tombstonePrefix + (await sealDigest(sealed));

/**
 * The data as version 2 hashes it: each sealed value (a string under a key ending in
 * `Sealed`, at the data's top level: the phone, the bank details), or its tombstone, as
 * its digest.
 */
const digestSealed = async (data: object) =>
  Object.fromEntries(
    await Promise.all(
      Object.entries(data).map(async ([key, item]) => [
        key,
        isSealedKey(key) && typeof item === 'string' ? `sha256:${await sealDigest(item)}` : item,
      ]),
    ),
  );

/** The hash of an event: over everything recorded except the hash itself. */
export async function hashEvent(event: Omit<RecordedEvent, 'hash'>): Promise<string> {
  const { stream, sequence, type, at, actor, data, idempotencyKey, requestDigest, previousHash } =
    event;
  const hashVersion = event.hashVersion === 2 ? 2 : undefined;
  // An absent requestDigest (or hashVersion) drops out of the canonical JSON: older events
  // hash as before.
  return sha256Hex(
    canonicalJson({
      stream,
      sequence,
      type,
      at,
      actor,
      data: hashVersion ? await digestSealed(data as object) : data,
      idempotencyKey,
      requestDigest,
      previousHash,
      hashVersion,
    }),
  );
}

/** Seals a new event onto a stream after `previous` (or as its first event). */
export async function sealEvent<Type extends string, Data>(
  stream: string,
  previous: Pick<RecordedEvent, 'sequence' | 'hash'> | null,
  event: NewEvent<Type, Data>,
): Promise<RecordedEvent<Type, Data>> {
  const unsealed = {
    ...event,
    stream,
    sequence: (previous?.sequence ?? 0) + 1,
    previousHash: previous?.hash ?? genesisHash,
    // Only an event holding something sealed is hashed by version 2: every other hashes as
    // it always did.
    ...(Object.entries(event.data as object).some(
      ([key, item]) => isSealedKey(key) && typeof item === 'string',
    )
      ? { hashVersion: 2 as const }
      : {}),
  };
  return { ...unsealed, hash: await hashEvent(unsealed) };
}

export type ChainCheck =
  | { valid: true; head: string }
  | { valid: false; brokenAt: number; reason: string };

/** Checks that the events form one unbroken chain from the genesis hash. */
export async function verifyChain(events: readonly RecordedEvent[]): Promise<ChainCheck> {
  let previousHash = genesisHash;
  for (const [index, event] of events.entries()) {
    if (event.sequence !== index + 1) {
      return { valid: false, brokenAt: event.sequence, reason: 'sequence gap' };
    }
    if (event.previousHash !== previousHash) {
      return { valid: false, brokenAt: event.sequence, reason: 'previous hash does not match' };
    }
    const { hash, ...rest } = event;
    if ((await hashEvent(rest)) !== hash) {
      return { valid: false, brokenAt: event.sequence, reason: 'event altered' };
    }
    previousHash = hash;
  }
  return { valid: true, head: previousHash };
}
