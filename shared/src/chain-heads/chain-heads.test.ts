import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type RecordedEvent, sealEvent } from '../event-log/event-log.ts';
import {
  type ChainHead,
  checkLogAgainstHead,
  dayDigest,
  genesisDigest,
  lastEndedDay,
  type PublishedDay,
  pagesOf,
  verifyDays,
} from './chain-heads.ts';
import { publishDueDay } from './publication.ts';
import type { ChainHeadsStore } from './store.ts';

const actor = { kind: 'system', id: 'test' } as const;

async function log(hazardId: string, length: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let index = 0; index < length; index += 1) {
    events.push(
      await sealEvent(`HAZARD#${hazardId}`, events.at(-1) ?? null, {
        type: 'note',
        at: `2026-11-22T0${index}:00:00.000Z`,
        actor,
        data: { index },
      }),
    );
  }
  return events;
}

const headOf = (hazardId: string, events: RecordedEvent[]): ChainHead => ({
  hazardId,
  sequence: events.length,
  head: events.at(-1)?.hash ?? '',
});

describe('the day', () => {
  it('is the CST day that ended last (24:00 CST is 16:00 UTC)', () => {
    expect(lastEndedDay(new Date('2026-11-22T15:59:59.999Z'))).toBe('2026-11-21');
    expect(lastEndedDay(new Date('2026-11-22T16:00:00.000Z'))).toBe('2026-11-22');
    expect(lastEndedDay(new Date('2026-11-23T15:00:00.000Z'))).toBe('2026-11-22');
  });
});

describe('the digest', () => {
  it('is SHA-256 of the date and previous digest line, then the heads by hazard id', async () => {
    const heads: ChainHead[] = [
      { hazardId: 'zzzzzzzzzzzzzzzzzzzzzzzzzz', sequence: 2, head: 'b'.repeat(64) },
      { hazardId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa', sequence: 7, head: 'a'.repeat(64) },
    ];
    const text =
      `2026-11-22 ${genesisDigest}\n` +
      `aaaaaaaaaaaaaaaaaaaaaaaaaa 7 ${'a'.repeat(64)}\n` +
      `zzzzzzzzzzzzzzzzzzzzzzzzzz 2 ${'b'.repeat(64)}\n`;
    expect(await dayDigest('2026-11-22', genesisDigest, heads)).toBe(
      createHash('sha256').update(text).digest('hex'),
    );
    // The order the heads come in does not matter; the previous digest does.
    expect(await dayDigest('2026-11-22', genesisDigest, heads.toReversed())).toBe(
      await dayDigest('2026-11-22', genesisDigest, heads),
    );
    expect(await dayDigest('2026-11-22', 'f'.repeat(64), heads)).not.toBe(
      await dayDigest('2026-11-22', genesisDigest, heads),
    );
  });

  it('splits heads into pages of at most 2,000', () => {
    const heads = Array.from({ length: 4001 }, (_, index) => ({
      hazardId: String(index),
      sequence: 1,
      head: '0'.repeat(64),
    }));
    expect(pagesOf(heads).map((page) => page.length)).toEqual([2000, 2000, 1]);
    expect(pagesOf([])).toEqual([]);
  });
});

describe('a log held against a published head', () => {
  it('matches on the day and after, and fails once history is rewritten or cut', async () => {
    const events = await log('aaaaaaaaaaaaaaaaaaaaaaaaaa', 3);
    const published = headOf('aaaaaaaaaaaaaaaaaaaaaaaaaa', events);
    expect(await checkLogAgainstHead(events, published)).toEqual({ kind: 'matches' });

    const later = [
      ...events,
      await sealEvent('HAZARD#aaaaaaaaaaaaaaaaaaaaaaaaaa', events[2] ?? null, {
        type: 'note',
        at: '2026-11-23T00:00:00.000Z',
        actor,
        data: {},
      }),
    ];
    expect(await checkLogAgainstHead(later, published)).toEqual({ kind: 'matches' });

    // An event altered in place: the chain no longer recomputes.
    const altered = events.map((event) =>
      event.sequence === 2 ? { ...event, data: { index: 99 } } : event,
    );
    expect(await checkLogAgainstHead(altered, published)).toMatchObject({
      kind: 'chain_broken',
      brokenAt: 2,
    });

    // The whole log sealed again with other data: a valid chain, but another head.
    const resealed: RecordedEvent[] = [];
    for (const event of events) {
      resealed.push(
        await sealEvent(event.stream, resealed.at(-1) ?? null, {
          type: event.type,
          at: event.at,
          actor: event.actor,
          data: event.sequence === 2 ? { index: 99 } : event.data,
        }),
      );
    }
    expect(await checkLogAgainstHead(resealed, published)).toMatchObject({ kind: 'different' });
    expect(await checkLogAgainstHead(events.slice(0, 2), published)).toEqual({
      kind: 'too_short',
      length: 2,
    });
    expect(
      await checkLogAgainstHead(await log('bbbbbbbbbbbbbbbbbbbbbbbbbb', 3), published),
    ).toEqual({ kind: 'other_hazard' });
  });
});

class MemoryChainHeadsStore implements ChainHeadsStore {
  heads: ChainHead[] = [];
  days = new Map<string, PublishedDay>();
  pages = new Map<string, ChainHead[]>();
  writes = 0;
  async currentHeads() {
    return [...this.heads];
  }
  async listDays(limit: number) {
    return [...this.days.values()].sort((a, b) => (a.date < b.date ? 1 : -1)).slice(0, limit);
  }
  async getDay(date: string) {
    return this.days.get(date) ?? null;
  }
  async getPage(day: PublishedDay, page: number) {
    return this.pages.get(`${day.date}/${day.digest}/${page}`) ?? [];
  }
  async putPage(day: PublishedDay, page: number, heads: readonly ChainHead[]) {
    this.writes += 1;
    this.pages.set(`${day.date}/${day.digest}/${page}`, [...heads]);
  }
  async putDay(day: PublishedDay) {
    this.writes += 1;
    if (this.days.has(day.date)) return false;
    this.days.set(day.date, day);
    return true;
  }
}

describe('publication', () => {
  it('publishes each ended day once, each naming the one before', async () => {
    const store = new MemoryChainHeadsStore();
    const a = await log('aaaaaaaaaaaaaaaaaaaaaaaaaa', 2);
    store.heads = [headOf('aaaaaaaaaaaaaaaaaaaaaaaaaa', a)];
    const first = await publishDueDay({
      store,
      now: new Date('2026-11-22T16:05:00.000Z'),
      jurisdictions: ['cq-gecheng'],
    });
    expect(first).toMatchObject({ kind: 'published', day: { date: '2026-11-22', count: 1 } });
    expect(first.day.previousDigest).toBe(genesisDigest);

    const writes = store.writes;
    const again = await publishDueDay({
      store,
      now: new Date('2026-11-23T03:00:00.000Z'),
      jurisdictions: ['cq-gecheng'],
    });
    expect(again).toEqual({ kind: 'already', day: first.day });
    expect(store.writes).toBe(writes);

    store.heads = [
      ...store.heads,
      headOf('bbbbbbbbbbbbbbbbbbbbbbbbbb', await log('bbbbbbbbbbbbbbbbbbbbbbbbbb', 1)),
    ];
    const second = await publishDueDay({
      store,
      now: new Date('2026-11-23T16:05:00.000Z'),
      jurisdictions: ['cq-gecheng'],
    });
    expect(second).toMatchObject({ kind: 'published', day: { date: '2026-11-23', count: 2 } });
    expect(second.day.previousDigest).toBe(first.day.digest);

    const days = await Promise.all(
      [first.day, second.day].map(async (day) => ({
        ...day,
        heads: await store.getPage(day, 1),
      })),
    );
    expect(await verifyDays(days)).toEqual({ valid: true });
    // Rewriting the first day breaks the second, which names the first's digest.
    const [day1, day2] = days as [(typeof days)[number], (typeof days)[number]];
    const rewritten = { ...day1, heads: [{ ...day1.heads[0], sequence: 1 } as ChainHead] };
    rewritten.digest = await dayDigest(rewritten.date, rewritten.previousDigest, rewritten.heads);
    expect(await verifyDays([rewritten, day2])).toEqual({
      valid: false,
      reason: 'not_linked',
      date: '2026-11-23',
    });
  });
});
