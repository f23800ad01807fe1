import { canonicalJson } from './canonical-json.ts';
import type { NewEvent, RecordedEvent } from './event-log.ts';
import type { EventStore } from './event-store.ts';

/**
 * Idempotency with payload validation: a client's key names one request. A retry of that
 * request (same key, same content) is answered as the first was; the same key with other
 * content is refused and changes nothing, so a mistake never passes for a success.
 * The store only knows that a key is recorded on a stream; whether it was recorded for
 * the same request is checked here, against the event recorded under it. System step
 * keys (lifecycles, generation claims) are not checked: their repeats are retries by
 * construction, and their events carry no request digest.
 */
export class IdempotencyKeyReused extends Error {
  constructor() {
    super('idempotency key reused with different content');
    this.name = 'IdempotencyKeyReused';
  }
}

/**
 * The digest of a request whose event data cannot be compared as such (a command whose
 * event holds deadlines computed from the time it was given). Unkeyed, so only for a
 * request whose every field its own event also records in plain (or that holds nothing
 * personal): the digest then tells nobody anything the log does not. What is sealed (a
 * tipster's phone) goes only into a keyed digest (tipContentDigest).
 */
export async function requestDigest(request: unknown): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`request:${canonicalJson(request)}`),
  );
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Whether an event recorded under a key stands for the same request as a new one: the same
 * type, and the same request digest when the new one has one (an event recorded before
 * digests were, cannot tell, and is taken as the same, as it always was), else the same
 * data, compared as canonical JSON.
 */
export function sameRequest(
  recorded: RecordedEvent,
  event: Pick<NewEvent, 'type' | 'data' | 'requestDigest'>,
): boolean {
  if (recorded.type !== event.type) return false;
  if (event.requestDigest !== undefined) {
    return recorded.requestDigest === undefined || recorded.requestDigest === event.requestDigest;
  }
  return canonicalJson(recorded.data) === canonicalJson(event.data);
}

/** The event recorded on a stream under a key, if any. */
export async function recordedUnder(
  events: Pick<EventStore, 'read'>,
  stream: string,
  idempotencyKey: string,
): Promise<RecordedEvent | undefined> {
  return (await events.read(stream)).find((event) => event.idempotencyKey === idempotencyKey);
}

/** Refuses (IdempotencyKeyReused) when the request digest recorded under a key differs. */
export async function refuseReusedKey(
  events: Pick<EventStore, 'read'>,
  stream: string,
  idempotencyKey: string,
  digest: string,
): Promise<void> {
  const recorded = await recordedUnder(events, stream, idempotencyKey);
  if (recorded && recorded.requestDigest !== undefined && recorded.requestDigest !== digest) {
    throw new IdempotencyKeyReused();
  }
}
