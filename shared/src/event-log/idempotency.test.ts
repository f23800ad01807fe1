import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { hashEvent, type RecordedEvent, sealEvent, verifyChain } from './event-log.ts';
import {
  IdempotencyKeyReused,
  recordedUnder,
  refuseReusedKey,
  requestDigest,
  sameRequest,
} from './idempotency.ts';
import { MemoryEventStore } from './memory-event-store.ts';

const actor = { kind: 'person' as const, id: 'demo:officer' };
const projection = { apply: (_state: unknown, event: RecordedEvent) => event.data };

async function recorded(event: Partial<RecordedEvent> = {}): Promise<RecordedEvent> {
  return sealEvent('HAZARD#h1', null, {
    type: 'noted',
    at: '2026-11-22T01:00:00.000Z',
    actor,
    data: { text: '消防通道被堵' },
    idempotencyKey: 'k1',
    ...event,
  });
}

describe('a request digest', () => {
  it('is the same whatever the key order, and differs for other content', async () => {
    const digest = await requestDigest({ type: 'close', note: '已整改', extra: { b: 1, a: 2 } });
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await requestDigest({ extra: { a: 2, b: 1 }, note: '已整改', type: 'close' })).toBe(
      digest,
    );
    expect(await requestDigest({ type: 'close', note: '未整改', extra: { b: 1, a: 2 } })).not.toBe(
      digest,
    );
  });

  it('is covered by the hash chain, and an event without one hashes as it always did', async () => {
    const withDigest = await recorded({ requestDigest: 'a'.repeat(64) });
    const altered = { ...withDigest, requestDigest: 'b'.repeat(64) };
    expect(await verifyChain([withDigest])).toMatchObject({ valid: true });
    expect(await verifyChain([altered])).toMatchObject({ valid: false, brokenAt: 1 });

    const plain = await recorded();
    const { hash, ...rest } = plain;
    const { stream, sequence, type, at, data, idempotencyKey, previousHash } = rest;
    const before = canonicalJson({
      stream,
      sequence,
      type,
      at,
      actor,
      data,
      idempotencyKey,
      previousHash,
    });
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(before));
    expect(hash).toBe(Buffer.from(digest).toString('hex'));
    expect(await hashEvent(rest)).toBe(hash);
  });
});

describe('sameRequest', () => {
  it('compares the data when no digest is given', async () => {
    const event = await recorded();
    expect(sameRequest(event, { type: 'noted', data: { text: '消防通道被堵' } })).toBe(true);
    expect(sameRequest(event, { type: 'noted', data: { text: '已经疏通' } })).toBe(false);
    expect(sameRequest(event, { type: 'other', data: { text: '消防通道被堵' } })).toBe(false);
  });

  it('compares digests when given; an event recorded before digests cannot tell', async () => {
    const event = await recorded({ requestDigest: 'a'.repeat(64), data: { at: 'computed' } });
    const data = { at: 'computed later' };
    expect(sameRequest(event, { type: 'noted', data, requestDigest: 'a'.repeat(64) })).toBe(true);
    expect(sameRequest(event, { type: 'noted', data, requestDigest: 'b'.repeat(64) })).toBe(false);
    expect(sameRequest(await recorded(), { type: 'noted', data, requestDigest: 'b' })).toBe(true);
  });
});

describe('refuseReusedKey', () => {
  it('refuses only a key recorded with another digest', async () => {
    const store = new MemoryEventStore();
    const append = (event: Partial<RecordedEvent>) =>
      store.append(
        'HAZARD#h1',
        null,
        { type: 'noted', at: '2026-11-22T01:00:00.000Z', actor, data: {}, ...event },
        projection,
      );
    await append({ idempotencyKey: 'k1', requestDigest: 'a' });
    expect((await recordedUnder(store, 'HAZARD#h1', 'k1'))?.requestDigest).toBe('a');
    await expect(refuseReusedKey(store, 'HAZARD#h1', 'k1', 'a')).resolves.toBeUndefined();
    await expect(refuseReusedKey(store, 'HAZARD#h1', 'k1', 'b')).rejects.toBeInstanceOf(
      IdempotencyKeyReused,
    );
    // Unknown keys, and system step keys recorded without a digest, are not refused.
    await expect(refuseReusedKey(store, 'HAZARD#h1', 'k2', 'b')).resolves.toBeUndefined();
  });
});
