import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { genesisHash, type RecordedEvent, sealEvent, verifyChain } from './event-log.ts';

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
