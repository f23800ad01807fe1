import { usccAlphabet, usccCheckCharacter } from '@qingling/shared/enterprises/uscc.ts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTemplate, importRow, readSheet } from '../../web/src/lib/office/spreadsheet.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson } from '../support/tips.ts';

// Issue 15, "an import faithful to real ledgers": a 2,000-row paper ledger found in 2023,
// deadlines long past, some rows closed, twenty with dates that cannot stand. It imports
// as it stands: overdue rows overdue, closed rows closed, the refused reported by row and
// column; nothing fires for the ladder steps missed before the import (no burst), the
// next step fires when its time comes; a second import stores nothing twice.
const clock = new ManualClock('2026-12-03T02:00:00.000Z'); // Thu 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let token: string;

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  token = await signIn(cloud.url, 'cq-gecheng.officer');
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

function usccFor(index: number): string {
  const organization = Array.from(
    { length: 9 },
    (_, place) => usccAlphabet[(index * 7 + place * 13) % 31],
  ).join('');
  const first17 = `91500000${organization}`;
  return `${first17}${usccCheckCharacter(first17)}`;
}

const rows = 2000;
const pad = (value: number) => String(value).padStart(2, '0');
const rowIdOf = (index: number) => `TZ-${String(index + 1).padStart(4, '0')}`;
/** Every tenth row closed on paper; every tenth, offset 5, ten days overdue now. */
const kindOf = (index: number) => {
  if (index % 100 === 3) return 'bad';
  if (index % 10 === 0) return 'closed';
  if (index % 10 === 5) return 'recent';
  return 'old';
};
/** The bad rows, by the column the report must blame. */
const badColumn = ['closedOn', 'deadline', 'deadline', 'foundOn'] as const;

/** Template column order: rowId … deadline, foundOn, status, closedOn. */
function cellsOf(index: number): string[] {
  const foundOn = `2023-${pad((index % 12) + 1)}-${pad((index % 28) + 1)}`;
  const cells = [
    rowIdOf(index),
    '消防',
    usccFor(index),
    `${index + 1} 号库房`,
    '一般',
    '',
    '',
    `第 ${index + 1} 号库房消防通道堆放杂物。`,
    '李某',
    '清理消防通道',
    '2023-12-31',
    foundOn,
    '',
    '',
  ];
  const kind = kindOf(index);
  if (kind === 'closed') {
    cells[12] = '已销号';
    cells[13] = '2023-12-31';
  }
  if (kind === 'recent') cells[10] = '2026-11-23';
  if (kind === 'bad') {
    const variant = Math.floor(index / 100) % 4;
    if (variant === 0) cells[12] = '已销号'; // closed, but no date closed
    if (variant === 1) cells[11] = ''; // a past deadline with no date found
    if (variant === 2) cells[10] = '2022-12-31'; // a deadline before the date found
    if (variant === 3) cells[11] = '2027-01-01'; // found after today
  }
  return cells;
}

async function sheet(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fillTemplate(workbook as never);
  const first = workbook.worksheets[0];
  if (!first) throw new Error('the template has no sheet');
  for (let index = 0; index < rows; index += 1) first.getRow(index + 2).values = cellsOf(index);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

type Result = {
  rowId?: string;
  outcome: string;
  hazardId?: string;
  issues?: { path: string; message: { zh: string; en: string } }[];
};

async function importSheet(file: Buffer): Promise<Result[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as never);
  const body = readSheet(workbook as never).map(importRow);
  const results: Result[] = [];
  for (let start = 0; start < body.length; start += 100) {
    const reply = await postJson(
      `${cloud.url}/api/office/hazard-imports`,
      { jurisdiction: 'cq-gecheng', source: 'inspection', rows: body.slice(start, start + 100) },
      { authorization: `Bearer ${token}` },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    results.push(...(reply.body.results as Result[]));
  }
  return results;
}

const tally = (results: Result[]) =>
  results.reduce<Record<string, number>>((counts, { outcome }) => {
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    return counts;
  }, {});

async function listed(query: Record<string, string>): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const search = new URLSearchParams({
      jurisdiction: 'cq-gecheng',
      ...query,
      ...(cursor ? { cursor } : {}),
    });
    const page = await fetch(`${cloud.url}/api/office/hazards?${search}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await page.json()) as { hazards: unknown[]; nextCursor?: string };
    count += body.hazards.length;
    cursor = body.nextCursor;
  } while (cursor);
  return count;
}

async function statistics() {
  const reply = await fetch(
    `${cloud.url}/api/office/statistics?jurisdiction=cq-gecheng&from=2023-01&to=2026-12`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(reply.status).toBe(200);
  return (await reply.json()) as {
    totals: { found: number; overdue: number };
    backlog: { found: number; closed: number; open: number };
  };
}

describe('importing a 2,000-row backlog ledger', () => {
  it('imports it as it stands, fires no burst, and then the ladder goes on', async () => {
    const indexes = Array.from({ length: rows }, (_, index) => index);
    const count = (kind: string) => indexes.filter((index) => kindOf(index) === kind).length;
    const before = await statistics();
    const outboxBefore = (await cloud.outbox.list()).length;

    const file = await sheet();
    const first = await importSheet(file);
    expect(first).toHaveLength(rows);
    expect(tally(first)).toEqual({ stored: rows - count('bad'), refused: count('bad') });
    for (const result of first.filter((row) => row.outcome === 'refused')) {
      const index = Number(result.rowId?.slice(3)) - 1;
      expect(kindOf(index), result.rowId).toBe('bad');
      expect(result.issues?.map((issue) => issue.path)).toEqual([
        badColumn[Math.floor(index / 100) % 4],
      ]);
      expect(result.issues?.[0]?.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(result.issues?.[0]?.message.en).toMatch(/[a-z]/);
    }

    // Overdue rows are overdue, closed rows closed: in the ledger and in the statistics.
    const overdue = count('old') + count('recent');
    expect(await listed({ status: 'rectifying', overdue: 'true' })).toBe(overdue);
    expect(await listed({ status: 'closed' })).toBe(count('closed'));
    const after = await statistics();
    expect(after.totals.overdue - before.totals.overdue).toBe(overdue);
    expect(after.backlog.found - before.backlog.found).toBe(rows - count('bad'));
    expect(after.backlog.closed - before.backlog.closed).toBe(count('closed'));
    expect(after.backlog.open - before.backlog.open).toBe(overdue);

    // No burst: the lifecycles have run, and none sent a message for a missed step.
    cloud.conductor.tick();
    await cloud.conductor.settled();
    expect((await cloud.outbox.list()).length).toBe(outboxBefore);

    // A retried import stores nothing twice.
    const again = await importSheet(file);
    expect(tally(again)).toEqual({ already_stored: rows - count('bad'), refused: count('bad') });
    expect(await listed({ status: 'closed' })).toBe(count('closed'));

    // The rows ten days overdue reach the summons at 24:00 on the 7th (14 days), and only
    // those: once each, to the leader in charge.
    clock.set('2026-12-08T01:00:00.000Z');
    cloud.conductor.tick();
    await cloud.conductor.settled();
    // The clock crossed Monday 09:00 too: the leaders' weekly reports are not the ladder's.
    const sent = (await cloud.outbox.list())
      .slice(outboxBefore)
      .filter((message) => !message.key.startsWith('weekly-report#'));
    const recent = new Set(
      first
        .filter((row) => kindOf(Number(row.rowId?.slice(3)) - 1) === 'recent')
        .map((row) => `${row.hazardId}#1#summons#leader_in_charge`),
    );
    expect(sent.length).toBe(recent.size);
    expect(new Set(sent.map((message) => message.key))).toEqual(recent);
  }, 240_000);
});
