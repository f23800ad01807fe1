import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HazardState, LedgerStatus } from '../../hazards/hazard.ts';
import {
  compareForLedger,
  type LedgerFilter,
  type LedgerReadPlan,
  ledgerReadPlan,
  matchesLedgerFilter,
} from '../../hazards/ledger-filter.ts';
import { sortValue } from '../../hazards/ledger-indexes.ts';
import { InvalidCursor } from '../../ports/page-cursor.ts';

/**
 * One page of the filtered ledger: the partitions the plan names, read side by side a few
 * items at a time and merged in order, until the page is full. The cursor is the last
 * listed hazard's sort value (found-on date or deadline, then id): the next page starts
 * after it in every partition, so it can never reach a partition the filters don't select.
 */
export async function filteredLedgerPage(
  documents: DynamoDBDocumentClient,
  tableName: string,
  query: {
    jurisdiction: string;
    status: LedgerStatus;
    limit: number;
    cursor?: string;
    filter: LedgerFilter;
  },
): Promise<{ items: HazardState[]; nextCursor?: string }> {
  const plan = ledgerReadPlan(query.jurisdiction, query.status, query.filter);
  const resumeAfter = query.cursor ? decodeLedgerCursor(query.cursor, plan.by) : undefined;
  const keep = (state: HazardState) => matchesLedgerFilter(state, query.filter);
  if (!plan.inOrder) return wholePartitionsPage(documents, tableName, plan, query, resumeAfter);

  const range = rangeAfter(plan, resumeAfter);
  if (!range) return { items: [] };
  // Each partition's share of a page, and one more to know whether a page follows.
  const chunk = Math.min(
    query.limit + 1,
    Math.max(10, Math.ceil(query.limit / plan.partitions.length) + 1),
  );
  const streams = plan.partitions.map((partition) =>
    partitionStream(documents, { tableName, plan, partition, range, chunk, keep }),
  );
  const items: HazardState[] = [];
  while (items.length < query.limit) {
    const heads = await Promise.all(streams.map((stream) => stream.peek()));
    let best = -1;
    for (const [index, head] of heads.entries()) {
      if (!head) continue;
      const current = best >= 0 ? heads[best] : undefined;
      if (!current || before(head.value, current.value, plan.order)) best = index;
    }
    if (best < 0) break;
    items.push((streams[best] as PartitionStream).take().state);
  }
  const more = (await Promise.all(streams.map((stream) => stream.peek()))).some(Boolean);
  const last = items.at(-1);
  return {
    items,
    ...(more && last ? { nextCursor: encodeLedgerCursor(plan.by, sortValue(last, plan.by)) } : {}),
  };
}

const before = (a: string, b: string, order: 'asc' | 'desc') => (order === 'asc' ? a < b : a > b);

/** The key range left after the cursor (inclusive bounds; the cursor's own item skipped). */
function rangeAfter(
  plan: LedgerReadPlan,
  resumeAfter: string | undefined,
): { from: string; to: string; skip?: string } | null {
  let from = plan.from ?? '0';
  let to = plan.to ?? '~~';
  if (resumeAfter) {
    if (plan.order === 'asc' && resumeAfter > from) from = resumeAfter;
    if (plan.order === 'desc' && resumeAfter < to) to = resumeAfter;
  }
  if (from > to) return null;
  return { from, to, ...(resumeAfter ? { skip: resumeAfter } : {}) };
}

interface PartitionStream {
  peek(): Promise<{ value: string; state: HazardState } | undefined>;
  take(): { value: string; state: HazardState };
}

function partitionStream(
  documents: DynamoDBDocumentClient,
  options: {
    tableName: string;
    plan: LedgerReadPlan;
    partition: string;
    range: { from: string; to: string; skip?: string };
    chunk: number;
    keep: (state: HazardState) => boolean;
  },
): PartitionStream {
  const { plan, range } = options;
  const buffer: { value: string; state: HazardState }[] = [];
  let startKey: Record<string, unknown> | undefined;
  let exhausted = false;
  const fill = async () => {
    while (!buffer.length && !exhausted) {
      const page = await documents.send(
        new QueryCommand({
          TableName: options.tableName,
          IndexName: plan.indexName,
          KeyConditionExpression: `${plan.indexName}pk = :pk AND ${plan.indexName}sk BETWEEN :from AND :to`,
          ExpressionAttributeValues: {
            ':pk': options.partition,
            ':from': range.from,
            ':to': range.to,
          },
          ScanIndexForward: plan.order === 'asc',
          Limit: options.chunk,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const state = item.state as HazardState;
        const value = sortValue(state, plan.by);
        if (value === range.skip || !options.keep(state)) continue;
        buffer.push({ value, state });
      }
      startKey = page.LastEvaluatedKey;
      exhausted = !startKey;
    }
  };
  return {
    async peek() {
      await fill();
      return buffer[0];
    },
    take() {
      const head = buffer.shift();
      if (!head) throw new Error('take() before peek()');
      return head;
    },
  };
}

/**
 * An enterprise's hazards by deadline: its partition (one enterprise, one status) read
 * whole and sorted here, the page starting after the cursor.
 */
async function wholePartitionsPage(
  documents: DynamoDBDocumentClient,
  tableName: string,
  plan: LedgerReadPlan,
  query: { limit: number; filter: LedgerFilter },
  resumeAfter: string | undefined,
): Promise<{ items: HazardState[]; nextCursor?: string }> {
  const states: HazardState[] = [];
  const from = plan.from ?? '0';
  const to = plan.to ?? '~~';
  if (from > to) return { items: [] };
  for (const partition of plan.partitions) {
    const stream = partitionStream(documents, {
      tableName,
      plan: { ...plan, order: 'asc' },
      partition,
      range: { from, to },
      chunk: 100,
      keep: (state) => matchesLedgerFilter(state, query.filter),
    });
    while (await stream.peek()) states.push(stream.take().state);
  }
  const ordered = states
    .sort(compareForLedger(plan.by, plan.order))
    .filter((state) => !resumeAfter || before(resumeAfter, sortValue(state, plan.by), plan.order));
  const items = ordered.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items,
    ...(ordered.length > query.limit && last
      ? { nextCursor: encodeLedgerCursor(plan.by, sortValue(last, plan.by)) }
      : {}),
  };
}

const cursorPattern = /^(foundOn|deadline):([0-9TZ:.+-]{10,40}|~)#[a-z2-7]{26}$/;

const encodeLedgerCursor = (by: string, value: string) =>
  Buffer.from(`${by}:${value}`).toString('base64url');

/** The sort value a cursor resumes after, only if this list in this order could give it. */
function decodeLedgerCursor(cursor: string, by: string): string {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new InvalidCursor('not base64url');
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) throw new InvalidCursor('not canonical base64url');
  const text = bytes.toString('latin1');
  const match = cursorPattern.exec(text);
  if (!match) throw new InvalidCursor('not a ledger position');
  if (match[1] !== by) throw new InvalidCursor('another order');
  return text.slice(by.length + 1);
}
