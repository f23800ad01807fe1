import { cstDate } from '../calendar/calendar.ts';
import { monthsBetween, statisticsEpoch } from '../hazards/statistics.ts';
import { rewardEntryOf } from './reward-statistics.ts';
import type { TipReceived, TipState, TipStatus } from './tip-state.ts';

/**
 * Tips in the statistics (issue 15): received, substantiated and rewarded, by channel and
 * by region, for the months received. Counted as the hazards are (hazards/statistics.ts):
 * every tip is a member of one bucket, (its jurisdiction, the month it was received), whose
 * count cells its members add up to; a reader fetches the buckets by key, never the tips.
 * Pure: what a tip's code is, its cells, and how buckets add up.
 */

export type TipChannel = TipReceived['channel'];
export const tipChannels: readonly TipChannel[] = ['web', 'hotline', 'letter', 'visit'];

/** A tip's part in the statistics, as of one version of its log. */
export interface TipStatisticsCode {
  /** The log's sequence this code was computed at: a bucket never takes an older one. */
  version: number;
  channel: TipChannel;
  /** The CST date received (fixed). */
  receivedOn: string;
  /** Sent by an employee of the enterprise (内部职工举报). */
  employee: boolean;
  /** Verified as substantiated (查证属实). */
  substantiated: boolean;
  /** The CST date it was found substantiated (the weekly report counts by it). */
  substantiatedOn?: string;
  /** A reward (or a joint tipster's share of one) approved for it. */
  rewarded: boolean;
}

export function tipCodeOf(state: TipState, version: number): TipStatisticsCode {
  return {
    version,
    channel: state.channel,
    receivedOn: cstDate(new Date(state.receivedAt)),
    employee: state.isEmployee === true,
    substantiated: state.finding === 'substantiated',
    ...(state.finding === 'substantiated' && state.verifiedAt
      ? { substantiatedOn: cstDate(new Date(state.verifiedAt)) }
      : {}),
    rewarded: rewardEntryOf(state) !== null,
  };
}

const flag = (value: boolean) => (value ? '1' : '0');

/**
 * `version|channel|received|employee|substantiated|rewarded|substantiatedOn`: versions sort
 * as strings.
 */
export function encodeTipCode(code: TipStatisticsCode): string {
  return [
    String(code.version).padStart(10, '0'),
    code.channel,
    code.receivedOn,
    flag(code.employee),
    flag(code.substantiated),
    flag(code.rewarded),
    code.substantiatedOn ?? '',
  ].join('|');
}

export function decodeTipCode(text: string): TipStatisticsCode {
  const [version, channel, receivedOn, employee, substantiated, rewarded, substantiatedOn] =
    text.split('|');
  return {
    ...(substantiatedOn ? { substantiatedOn } : {}),
    version: Number(version),
    channel: (channel ?? 'web') as TipChannel,
    receivedOn: receivedOn ?? '',
    employee: employee === '1',
    substantiated: substantiated === '1',
    rewarded: rewarded === '1',
  };
}

/**
 * What a member adds to its bucket, each cell naming its own day received and channel:
 * `n|<date>|<channel>` received, `e|…` of them from employees, `s|…` substantiated,
 * `w|…` rewarded (1 each); and `v|<date>` found substantiated that day (the weekly report).
 */
export function tipCellsOf(code: TipStatisticsCode): Record<string, number> {
  const tail = `${code.receivedOn}|${code.channel}`;
  const cells: Record<string, number> = { [`n|${tail}`]: 1 };
  if (code.employee) cells[`e|${tail}`] = 1;
  if (code.substantiated) cells[`s|${tail}`] = 1;
  if (code.rewarded) cells[`w|${tail}`] = 1;
  if (code.substantiatedOn) cells[`v|${code.substantiatedOn}`] = 1;
  return cells;
}

export function tipCellDeltas(
  before: TipStatisticsCode | null,
  after: TipStatisticsCode | null,
): Record<string, number> {
  const deltas: Record<string, number> = {};
  for (const [cell, value] of Object.entries(before ? tipCellsOf(before) : {})) {
    deltas[cell] = (deltas[cell] ?? 0) - value;
  }
  for (const [cell, value] of Object.entries(after ? tipCellsOf(after) : {})) {
    deltas[cell] = (deltas[cell] ?? 0) + value;
  }
  for (const [cell, value] of Object.entries(deltas)) if (value === 0) delete deltas[cell];
  return deltas;
}

/**
 * Every status a tip can be in: the rebuild reads the inbox's partition of each. A Record,
 * so that a status added to TipStatus must be added here (schemas.ts's list would bring zod
 * into every bundle that reads the counters).
 */
const everyTipStatus: Record<TipStatus, true> = {
  received: true,
  accepted: true,
  refused: true,
  referred: true,
  merged: true,
  investigating: true,
  substantiated: true,
  unsubstantiated: true,
  closed: true,
};
export const allTipStatuses = Object.keys(everyTipStatus) as TipStatus[];

/** The tips' counter items: one per jurisdiction and month received (sk YYYY-MM). */
export const tipStatisticsPartition = (jurisdiction: string) => `TIP#STATS#${jurisdiction}`;

/** The bucket month a tip counts in (a tip received before the epoch: the epoch's). */
export function tipBucketMonth(state: Pick<TipState, 'receivedAt'>): string {
  const month = cstDate(new Date(state.receivedAt)).slice(0, 7);
  return month < statisticsEpoch ? statisticsEpoch : month;
}

/** The tip projection's tally: which counter item, which member, which code. */
export const tipTally = {
  of(state: TipState, version: number) {
    return {
      partition: tipStatisticsPartition(state.jurisdiction),
      sort: tipBucketMonth(state),
      member: state.tipId,
      code: encodeTipCode(tipCodeOf(state, version)),
    };
  },
  deltas: (before: string | null, after: string) =>
    tipCellDeltas(before ? decodeTipCode(before) : null, decodeTipCode(after)),
  // A tip's intake may write twice on its request and three times in all (issue 13): it is
  // counted by the reconciler's next sweep of recent changes, or by its next write.
  deferFirst: true,
};

export interface TipRow {
  received: number;
  employee: number;
  substantiated: number;
  rewarded: number;
}

export interface TipStatistics {
  totals: TipRow;
  /** Every channel, in a fixed order (a channel with none shows zeros). */
  channels: (TipRow & { channel: TipChannel })[];
  regions: (TipRow & { jurisdiction: string })[];
  months: (TipRow & { month: string })[];
}

export interface TipStatisticsQuery {
  jurisdictions: readonly string[];
  /** Months received, inclusive (YYYY-MM). */
  from: string;
  to: string;
}

/** A tip bucket as read: its jurisdiction, its month and its count cells. */
export interface TipBucket {
  jurisdiction: string;
  month: string;
  cells: Record<string, number>;
}

const emptyTipRow = (): TipRow => ({ received: 0, employee: 0, substantiated: 0, rewarded: 0 });
const fields = { n: 'received', e: 'employee', s: 'substantiated', w: 'rewarded' } as const;

/** The rows each counted tip adds to, before they are put in order. */
function tally(query: TipStatisticsQuery) {
  const totals = emptyTipRow();
  const channels = new Map(tipChannels.map((channel) => [channel as string, emptyTipRow()]));
  const regions = new Map(query.jurisdictions.map((code) => [code, emptyTipRow()]));
  const months = new Map(monthsBetween(query.from, query.to).map((m) => [m, emptyTipRow()]));
  const add = (
    jurisdiction: string,
    month: string,
    channel: string,
    field: keyof TipRow,
    value: number,
  ) => {
    const region = regions.get(jurisdiction);
    const monthRow = months.get(month);
    if (!region || !monthRow) return;
    const channelRow = channels.get(channel) ?? emptyTipRow();
    channels.set(channel, channelRow);
    for (const row of [totals, region, monthRow, channelRow]) row[field] += value;
  };
  const finish = (): TipStatistics => ({
    totals,
    channels: [...channels].map(([channel, row]) => ({ channel: channel as TipChannel, ...row })),
    regions: [...regions].map(([jurisdiction, row]) => ({ jurisdiction, ...row })),
    months: [...months].map(([month, row]) => ({ month, ...row })),
  });
  return { add, finish };
}

/** Adds up the tip buckets' cells into the statistics' tip numbers. */
export function aggregateTips(
  buckets: readonly TipBucket[],
  query: TipStatisticsQuery,
): TipStatistics {
  const counted = tally(query);
  for (const bucket of buckets) {
    for (const [cell, value] of Object.entries(bucket.cells)) {
      if (!value) continue;
      const [kind = '', day = '', channel = ''] = cell.split('|');
      const field = fields[kind as keyof typeof fields];
      if (field) counted.add(bucket.jurisdiction, day.slice(0, 7), channel, field, value);
    }
  }
  return counted.finish();
}

/** The same numbers counted tip by tip, from their states: what the counters must equal. */
export function recountTips(states: readonly TipState[], query: TipStatisticsQuery): TipStatistics {
  const counted = tally(query);
  for (const state of states) {
    const code = tipCodeOf(state, 0);
    const month = code.receivedOn.slice(0, 7);
    const add = (field: keyof TipRow) =>
      counted.add(state.jurisdiction, month, code.channel, field, 1);
    add('received');
    if (code.employee) add('employee');
    if (code.substantiated) add('substantiated');
    if (code.rewarded) add('rewarded');
  }
  return counted.finish();
}
