import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import {
  erasedSeal,
  genesisHash,
  hashEvent,
  type RecordedEvent,
  sealEvent,
  verifyChain,
} from './event-log.ts';

const actor = { kind: 'person' as const, id: 'demo:officer' };

async function chain(length: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let index = 0; index < length; index += 1) {
    events.push(
      await sealEvent('HAZARD#h1', events.at(-1) ?? null, {
        type: 'noted',
        at: `2026-11-22T0${index}:00:00.000Z`,
        actor,
        data: { index, text: '消防通道被堵' },
      }),
    );
  }
  return events;
}

describe('canonicalJson', () => {
  it('gives the same text whatever the key order, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe('the hash chain', () => {
  it('starts at the genesis hash and links each event to the one before', async () => {
    const events = await chain(3);
    expect(events[0]?.previousHash).toBe(genesisHash);
    expect(events[1]?.previousHash).toBe(events[0]?.hash);
    expect(events.map((event) => event.sequence)).toEqual([1, 2, 3]);
    expect(await verifyChain(events)).toEqual({ valid: true, head: events[2]?.hash });
  });

  it('shows an altered event, even one whose own hash was recomputed', async () => {
    const events = await chain(3);
    const altered = events.map((event) =>
      event.sequence === 2 ? { ...event, data: { index: 1, text: '已整改' } } : event,
    );
    expect(await verifyChain(altered)).toMatchObject({ valid: false, brokenAt: 2 });

    const resealed = [...events];
    resealed[1] = await sealEvent('HAZARD#h1', events[0] ?? null, {
      type: 'noted',
      at: events[1]?.at ?? '',
      actor,
      data: { rewritten: true },
    });
    expect(await verifyChain(resealed)).toMatchObject({ valid: false, brokenAt: 3 });
  });

  it('shows a removed event', async () => {
    const events = await chain(3);
    expect(await verifyChain([events[0], events[2]] as RecordedEvent[])).toMatchObject({
      valid: false,
      reason: 'sequence gap',
    });
  });
});

describe('sealed fields (hash version 2): erasable without breaking the chain', () => {
  const tipster = { kind: 'tipster' as const, id: 'tipster' };
  async function tipLog(): Promise<RecordedEvent[]> {
    const first = await sealEvent('TIP#t1', null, {
      type: 'tip_received',
      at: '2026-11-22T01:00:00.000Z',
      actor: tipster,
      data: { address: '三号库', contactSealed: 'v1.ciphertext-of-the-phone' },
    });
    const second = await sealEvent('TIP#t1', first, {
      type: 'reward_claimed',
      at: '2026-11-23T01:00:00.000Z',
      actor: tipster,
      data: { method: 'bank_transfer', bankSealed: 'v1.ciphertext-of-the-account' },
    });
    const third = await sealEvent('TIP#t1', second, {
      type: 'noted',
      at: '2026-11-24T01:00:00.000Z',
      actor,
      data: { text: '已兑付' },
    });
    return [first, second, third];
  }
  /** Each sealed value replaced by its tombstone, as the retention sweep writes it. */
  async function erased(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    return Promise.all(
      events.map(async (event) => {
        const data = { ...(event.data as Record<string, unknown>) };
        for (const key of ['contactSealed', 'bankSealed']) {
          if (typeof data[key] === 'string') data[key] = await erasedSeal(data[key]);
        }
        return { ...event, data };
      }),
    );
  }

  it('hashes an event with a sealed field by version 2, any other as before', async () => {
    const events = await tipLog();
    expect(events.map((event) => event.hashVersion)).toEqual([2, 2, undefined]);
    // An event without anything sealed hashes exactly as version 1 did (no new field).
    expect('hashVersion' in (events[2] as object)).toBe(false);
  });

  it('verifies before and after the ciphertext is replaced by its tombstone', async () => {
    const events = await tipLog();
    const head = events[2]?.hash;
    expect(await verifyChain(events)).toEqual({ valid: true, head });
    const tombstoned = await erased(events);
    expect(JSON.stringify(tombstoned)).not.toContain('ciphertext');
    expect(await verifyChain(tombstoned)).toEqual({ valid: true, head });
    // Erasing twice is erasing once.
    expect(await erased(tombstoned)).toEqual(tombstoned);
  });

  it('still shows tampering: another ciphertext, a forged tombstone, the version dropped', async () => {
    const events = await tipLog();
    const swapped = events.map((event) =>
      event.sequence === 1
        ? { ...event, data: { ...(event.data as object), contactSealed: 'v1.another-phone' } }
        : event,
    );
    expect(await verifyChain(swapped)).toMatchObject({ valid: false, brokenAt: 1 });
    const forged = (await erased(events)).map((event) =>
      event.sequence === 2
        ? {
            ...event,
            data: { ...(event.data as object), bankSealed: `erased:sha256:${'0'.repeat(64)}` },
          }
        : event,
    );
    expect(await verifyChain(forged)).toMatchObject({ valid: false, brokenAt: 2 });
    const downgraded = events.map((event) => {
      const { hashVersion: _version, ...rest } = event;
      return rest;
    });
    expect(await verifyChain(downgraded)).toMatchObject({ valid: false, brokenAt: 1 });
    const address = (await erased(events)).map((event) =>
      event.sequence === 1
        ? { ...event, data: { ...(event.data as object), address: '四号库' } }
        : event,
    );
    expect(await verifyChain(address)).toMatchObject({ valid: false, brokenAt: 1 });
  });

  it('verifies an event recorded before version 2, with its ciphertext, as it always did', async () => {
    // Recorded by the old code: no hashVersion, the hash over the ciphertext itself.
    const old = {
      stream: 'TIP#t0',
      sequence: 1,
      type: 'tip_received',
      at: '2026-01-01T00:00:00.000Z',
      actor: tipster,
      data: { contactSealed: 'v1.old-ciphertext' },
      idempotencyKey: 'tip_received',
      previousHash: genesisHash,
    };
    const hash = (await import('node:crypto'))
      .createHash('sha256')
      .update(canonicalJson(old), 'utf8')
      .digest('hex');
    expect(await hashEvent(old)).toBe(hash);
    expect(await verifyChain([{ ...old, hash }])).toEqual({ valid: true, head: hash });
    // Its ciphertext cannot be tombstoned: the chain would show it.
    expect(await verifyChain(await erased([{ ...old, hash }]))).toMatchObject({ valid: false });
  });
});
