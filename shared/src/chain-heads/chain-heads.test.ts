import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type RecordedEvent, sealEvent } from '../event-log/event-log.ts';
import {
  type ChainHead,
  checkExportedLog,
  dayDigest,
  genesisDigest,
  headLeaf,
  lastEndedDay,
  leavesOf,
  pagesOf,
  publicDay,
  type StoredDay,
  verifyDays,
} from './chain-heads.ts';
import { proveInclusion } from './inclusion.ts';
import { auditPath, emptyTreeHash, rootFromPath, treeHash } from './merkle.ts';
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

const idOf = (index: number) => `hazard${String(index).padStart(20, '0')}`;

// RFC 6962 with node:crypto, written apart from merkle.ts: what the tree must agree with.
const sha = (...parts: (Buffer | string)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha('');
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.of(1), referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

describe('the day', () => {
  it('is the CST day that ended last (24:00 CST is 16:00 UTC)', () => {
    expect(lastEndedDay(new Date('2026-11-22T15:59:59.999Z'))).toBe('2026-11-21');
    expect(lastEndedDay(new Date('2026-11-22T16:00:00.000Z'))).toBe('2026-11-22');
    expect(lastEndedDay(new Date('2026-11-23T15:00:00.000Z'))).toBe('2026-11-22');
  });
});

describe('the Merkle tree (RFC 6962)', () => {
  it('hashes leaves and nodes with their prefixes, as RFC 6962 does', async () => {
    const head = 'a'.repeat(64);
    expect(await headLeaf('aaaaaaaaaaaaaaaaaaaaaaaaaa', 7, head)).toBe(
      sha(Buffer.of(0), `aaaaaaaaaaaaaaaaaaaaaaaaaa 7 ${head}`).toString('hex'),
    );
    expect(emptyTreeHash).toBe(sha('').toString('hex'));
    expect(await treeHash([])).toBe(emptyTreeHash);
    for (const size of [1, 2, 3, 5, 7, 8, 9, 13]) {
      const leaves = Array.from({ length: size }, (_, index) => sha(Buffer.of(0), String(index)));
      expect(await treeHash(leaves.map((leaf) => leaf.toString('hex')))).toBe(
        referenceRoot(leaves).toString('hex'),
      );
    }
  });

  it('proves every leaf of trees of every size up to 17, and nothing else', async () => {
    for (let size = 1; size <= 17; size += 1) {
      const leaves = Array.from({ length: size }, (_, index) =>
        sha(Buffer.of(0), String(index)).toString('hex'),
      );
      const root = await treeHash(leaves);
      for (const [index, leaf] of leaves.entries()) {
        const path = await auditPath(index, leaves);
        expect(await rootFromPath(leaf, index, size, path)).toBe(root);
        // Another place, a path too short or too long, another leaf: not the root.
        if (size > 1) {
          expect(await rootFromPath(leaf, (index + 1) % size, size, path)).not.toBe(root);
          expect(await rootFromPath(leaf, index, size, path.slice(1))).not.toBe(root);
        }
        expect(await rootFromPath(leaf, index, size, [...path, leaf])).not.toBe(root);
        expect(await rootFromPath(sha('other').toString('hex'), index, size, path)).not.toBe(root);
      }
      expect(await rootFromPath(leaves[0] as string, size, size, [])).toBeNull();
    }
  });

  it('builds the same root from pages of a power of two as from all leaves', async () => {
    for (const count of [1, 3, 4, 5, 8, 9, 17, 33]) {
      const heads = Array.from({ length: count }, (_, index) => ({
        hazardId: idOf(index),
        sequence: 1,
        head: sha(String(index)).toString('hex'),
      }));
      const store = new MemoryChainHeadsStore();
      store.heads = heads;
      const { day } = await publishDueDay({
        store,
        now: new Date('2026-11-22T16:05:00.000Z'),
        jurisdictions: [],
        pageSize: 4,
      });
      const leaves = await leavesOf(heads);
      expect(day.root).toBe(await treeHash(leaves));
      expect(day.pages).toHaveLength(Math.ceil(count / 4));
      // The leaves are kept by hash, sorted: no hazard id is stored with the day.
      expect(JSON.stringify([...store.pages.values(), day])).not.toContain('hazard0');
      // Every head's proof, made from pages, leads to the root.
      for (const head of heads) {
        const events = [
          { stream: `HAZARD#${head.hazardId}`, sequence: 1, hash: head.head } as RecordedEvent,
        ];
        const proof = await proveInclusion(store, head.hazardId, events);
        expect(proof).not.toBeNull();
        const leaf = await headLeaf(head.hazardId, 1, head.head);
        expect(proof?.leafIndex).toBe(leaves.indexOf(leaf));
        expect(await rootFromPath(leaf, proof?.leafIndex ?? -1, count, proof?.path ?? [])).toBe(
          day.root,
        );
      }
    }
  });
});

describe('the digest', () => {
  it('is SHA-256 of the date, count, root and previous digest, in one line', async () => {
    const fields = {
      date: '2026-11-22',
      count: 2,
      root: 'c'.repeat(64),
      previousDigest: genesisDigest,
    };
    expect(await dayDigest(fields)).toBe(
      createHash('sha256')
        .update(`2026-11-22 2 ${'c'.repeat(64)} ${genesisDigest}\n`)
        .digest('hex'),
    );
    expect(await dayDigest({ ...fields, previousDigest: 'f'.repeat(64) })).not.toBe(
      await dayDigest(fields),
    );
  });

  it('splits leaves into pages of at most 2,048', () => {
    const leaves = Array.from({ length: 4097 }, (_, index) => String(index));
    expect(pagesOf(leaves).map((page) => page.length)).toEqual([2048, 2048, 1]);
    expect(pagesOf([])).toEqual([]);
  });
});

class MemoryChainHeadsStore implements ChainHeadsStore {
  heads: ChainHead[] = [];
  days = new Map<string, StoredDay>();
  pages = new Map<string, string[]>();
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
  async getPage(day: StoredDay, page: number) {
    return this.pages.get(`${day.date}/${day.digest}/${page}`) ?? [];
  }
  async putPage(day: StoredDay, page: number, leaves: readonly string[]) {
    this.writes += 1;
    this.pages.set(`${day.date}/${day.digest}/${page}`, [...leaves]);
  }
  async putDay(day: StoredDay) {
    this.writes += 1;
    if (this.days.has(day.date)) return false;
    this.days.set(day.date, day);
    return true;
  }
}

describe('publication', () => {
  it('publishes each ended day once, each naming the one before, and only its root', async () => {
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
    expect(first.day.root).toBe(await headLeaf('aaaaaaaaaaaaaaaaaaaaaaaaaa', 2, a[1]?.hash ?? ''));
    expect(Object.keys(publicDay(first.day)).sort()).toEqual([
      'count',
      'date',
      'digest',
      'previousDigest',
      'publishedAt',
      'root',
    ]);

    const writes = store.writes;
    const again = await publishDueDay({
      store,
      now: new Date('2026-11-23T03:00:00.000Z'),
      jurisdictions: ['cq-gecheng'],
    });
    expect(again).toEqual({ kind: 'already', day: first.day });
    expect(store.writes).toBe(writes);

    const b = await log('bbbbbbbbbbbbbbbbbbbbbbbbbb', 1);
    store.heads = [...store.heads, headOf('bbbbbbbbbbbbbbbbbbbbbbbbbb', b)];
    const second = await publishDueDay({
      store,
      now: new Date('2026-11-23T16:05:00.000Z'),
      jurisdictions: ['cq-gecheng'],
    });
    expect(second).toMatchObject({ kind: 'published', day: { date: '2026-11-23', count: 2 } });
    expect(second.day.previousDigest).toBe(first.day.digest);

    expect(await verifyDays([first.day, second.day])).toEqual({ valid: true });
    // Rewriting the first day breaks it, and once its digest is made again, the second.
    const rewritten = { ...first.day, root: second.day.root };
    expect(await verifyDays([rewritten, second.day])).toMatchObject({
      valid: false,
      reason: 'digest_differs',
    });
    rewritten.digest = await dayDigest(rewritten);
    expect(await verifyDays([rewritten, second.day])).toEqual({
      valid: false,
      reason: 'not_linked',
      date: '2026-11-23',
    });
  });
});

describe('an exported log held against a published root', () => {
  it('is included on the day and after, and fails once history is rewritten or cut', async () => {
    const store = new MemoryChainHeadsStore();
    const events = await log('aaaaaaaaaaaaaaaaaaaaaaaaaa', 3);
    store.heads = [
      headOf('aaaaaaaaaaaaaaaaaaaaaaaaaa', events),
      headOf('bbbbbbbbbbbbbbbbbbbbbbbbbb', await log('bbbbbbbbbbbbbbbbbbbbbbbbbb', 2)),
      headOf('cccccccccccccccccccccccccc', await log('cccccccccccccccccccccccccc', 1)),
    ];
    const { day } = await publishDueDay({
      store,
      now: new Date('2026-11-22T16:05:00.000Z'),
      jurisdictions: [],
    });
    const hazardId = 'aaaaaaaaaaaaaaaaaaaaaaaaaa';
    const later = [
      ...events,
      await sealEvent(`HAZARD#${hazardId}`, events[2] ?? null, {
        type: 'note',
        at: '2026-11-23T00:00:00.000Z',
        actor,
        data: {},
      }),
    ];
    // Exported after a later event: the proof is still of the published head, sequence 3.
    const inclusion = await proveInclusion(store, hazardId, later);
    expect(inclusion).toMatchObject({ date: '2026-11-22', sequence: 3, treeSize: 3 });
    expect(await checkExportedLog({ hazardId, events: later, inclusion }, day)).toEqual({
      kind: 'included',
      date: '2026-11-22',
      sequence: 3,
    });
    expect(await checkExportedLog({ hazardId, events, inclusion }, day)).toMatchObject({
      kind: 'included',
    });

    const altered = events.map((event) =>
      event.sequence === 2 ? { ...event, data: { index: 99 } } : event,
    );
    expect(await checkExportedLog({ hazardId, events: altered, inclusion }, day)).toMatchObject({
      kind: 'chain_broken',
      brokenAt: 2,
    });
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
    expect(await checkExportedLog({ hazardId, events: resealed, inclusion }, day)).toEqual({
      kind: 'not_included',
    });
    expect(await proveInclusion(store, hazardId, resealed)).toBeNull();
    expect(
      await checkExportedLog({ hazardId, events: events.slice(0, 2), inclusion }, day),
    ).toEqual({ kind: 'too_short', length: 2 });
    expect(
      await checkExportedLog(
        { hazardId, events: await log('bbbbbbbbbbbbbbbbbbbbbbbbbb', 3), inclusion },
        day,
      ),
    ).toEqual({ kind: 'other_hazard' });
    expect(await checkExportedLog({ hazardId, events, inclusion: null }, day)).toEqual({
      kind: 'no_proof',
    });
  });
});
