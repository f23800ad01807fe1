import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { cstDate } from '../../calendar/calendar.ts';
import type { Tally } from '../../event-log/event-store.ts';
import { deskLedgerStatuses } from '../../hazards/desk.ts';
import { hazardLedgerPartition, hazardStream } from '../../hazards/hazard.ts';
import {
  type Bucket,
  bucketMonths,
  type HazardStatistics,
  hazardTally,
  statisticsPartition,
} from '../../hazards/statistics.ts';
import { tipInboxPartition, tipStream } from '../../tips/tip-state.ts';
import {
  allTipStatuses,
  type TipBucket,
  tipStatisticsPartition,
  tipTally,
} from '../../tips/tip-statistics.ts';
import type { Budget } from './budget.ts';
import { readPartition } from './index-page.ts';
import { readRewardEntries } from './reward-statistics.ts';
import { applyTally, onlyDeferred, tallyFence, tallyMarker, tallyMarkerKey } from './tally.ts';

/**
 * The statistics' counter items (HAZARD#STATS#<jurisdiction> and TIP#STATS#<jurisdiction>,
 * sk <YYYY-MM>): read by key (count cells only), rebuilt from the records' states, and a
 * record's membership checked and repaired by the reconciler.
 */
/**
 * The cells' format (statistics.ts cellsOf). A change of cells must rebuild the buckets once:
 * a move computes both sides in the new format, so old cells would never be taken away.
 * 2: overdue by industry (`due|<deadline>|<grade>|<industry>`).
 * 3: the tips' buckets (TIP#STATS#<jurisdiction>, tip-statistics.ts), built from the inbox;
 *    escalations fired by day (`esc|<date>`), for the weekly report.
 * 4: by village or community below the jurisdiction (`u|`, `ud|`, `ut|`, `uo|<unit>|…`).
 * 5: overdue and open majors as of a past day's end (`os|`, `oe|`, `mo|`, `mc|<day>`), for
 *    the weekly report of a past week.
 */
export const countersFormat = 5;

/** The item that says the buckets were built in this format (the backfill's marker). */
export const statisticsBuiltMarker = {
  pk: statisticsPartition(''),
  sk: `BUILT#${countersFormat}`,
} as const;

/** The month after the clock's (CST): a record counted across a month's last midnight. */
const nextMonth = (now: Date) => {
  const [year, month] = cstDate(now).slice(0, 7).split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
};

export class DynamoHazardStatistics implements HazardStatistics {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  /** Requests sent by `buckets` (each Query page counts): the bench and tests read it. */
  reads = 0;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  /**
   * BatchGetItem by key, 100 keys a call, count cells only: the calls depend on the
   * jurisdictions and months asked, never on how many hazards the buckets hold.
   */
  buckets(jurisdictions: readonly string[], months: readonly string[]): Promise<Bucket[]> {
    return this.readBuckets(statisticsPartition, jurisdictions, months);
  }

  /** The tips' buckets, read as the hazards' are (and counted in `reads`). */
  tipBuckets(jurisdictions: readonly string[], months: readonly string[]): Promise<TipBucket[]> {
    return this.readBuckets(tipStatisticsPartition, jurisdictions, months);
  }

  private async readBuckets(
    partitionOf: (jurisdiction: string) => string,
    jurisdictions: readonly string[],
    months: readonly string[],
  ): Promise<Bucket[]> {
    let keys = jurisdictions.flatMap((jurisdiction) =>
      months.map((month) => ({ pk: partitionOf(jurisdiction), sk: month })),
    );
    const prefix = partitionOf('').length;
    const buckets: Bucket[] = [];
    const calls: Promise<void>[] = [];
    const get = async (batch: typeof keys): Promise<void> => {
      let pending: Record<string, unknown>[] = batch;
      while (pending.length) {
        this.reads += 1;
        const reply = await this.documents.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ProjectionExpression: 'pk, sk, #counts',
                ExpressionAttributeNames: { '#counts': 'counts' },
              },
            },
          }),
        );
        for (const item of reply.Responses?.[this.tableName] ?? []) {
          buckets.push({
            jurisdiction: (item.pk as string).slice(prefix),
            month: item.sk as string,
            cells: (item.counts ?? {}) as Record<string, number>,
          });
        }
        pending = reply.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    };
    while (keys.length) {
      calls.push(get(keys.slice(0, 100)));
      keys = keys.slice(100);
    }
    await Promise.all(calls);
    return buckets;
  }

  /**
   * The approved rewards of these jurisdictions (the statistics' money): a Query per
   * jurisdiction, bounded by its rewards; not counted in `reads`, which are the buckets'.
   */
  rewards(jurisdictions: readonly string[]) {
    return readRewardEntries(this.documents, this.tableName, jurisdictions);
  }

  /** The months a counter partition has buckets for (keys only): for the rebuild. */
  private async monthsOf(partition: string): Promise<string[]> {
    const months: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ProjectionExpression: 'sk',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) months.push(item.sk as string);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return months;
  }

  /**
   * Recomputes every bucket of these jurisdictions from the records' states (the hazard
   * ledger's index and the tip inbox's hold every record under one status) and overwrites
   * them, with each record's marker (what it is counted as); a bucket left with no member
   * is emptied. Safe while records change (AWS runs it from the reconciler, the API
   * serving): see `rebuildPartition`. `now`: the clock's instant (the months it fences).
   */
  async rebuild(
    jurisdictions: readonly string[],
    now: Date = new Date(),
  ): Promise<{ hazards: number; tips: number; buckets: number }> {
    let hazards = 0;
    let tips = 0;
    let written = 0;
    for (const jurisdiction of jurisdictions) {
      const hazardStates = await this.rebuildPartition(
        statisticsPartition(jurisdiction),
        hazardTally,
        deskLedgerStatuses.map((status) => hazardLedgerPartition(jurisdiction, status)),
        now,
      );
      written += hazardStates.buckets;
      hazards += hazardStates.members;
      const tipStates = await this.rebuildPartition(
        tipStatisticsPartition(jurisdiction),
        tipTally,
        allTipStatuses.map((status) => tipInboxPartition(jurisdiction, status)),
        now,
      );
      written += tipStates.buckets;
      tips += tipStates.members;
    }
    return { hazards, tips, buckets: written };
  }

  /** Every state (and its version) under these index partitions. */
  private async statesIn(
    partitions: readonly string[],
  ): Promise<{ state: unknown; version: number }[]> {
    const pages = await Promise.all(
      partitions.map((partition) =>
        readPartition(this.documents, {
          tableName: this.tableName,
          partition,
          projection: '#state, #version',
          names: { '#state': 'state', '#version': 'version' },
        }),
      ),
    );
    return pages.flat().map((item) => ({ state: item.state, version: item.version as number }));
  }

  /**
   * Overwrites one partition's buckets with its members' cells, and their markers, while
   * writes go on. Without care a move (tally.ts) interleaved with the overwrite would
   * count a member twice or not at all: a move's count landing on a bucket after it was
   * recomputed from a state that already had it, or before it was overwritten while its
   * marker kept the new code (both a later move then counts again from the wrong side).
   * So: (1) every bucket month the partition may have (epoch to next month) gets a fence,
   * which stops every count (tally.ts step b) until its bucket is written again: the
   * buckets hold still while the members are read; (2) each member's marker is read
   * (consistently) and written with the code its bucket will hold, only if no move was
   * claimed since it was read (else read again); (3) a member with a move claimed and not
   * settled is counted from its state item as it is now (read consistently, not the
   * index), and left pending in its bucket under that code: the claimed move's count, if
   * it comes late, no longer matches (`pending` is neither absent nor its old code), and
   * its settle finds no `next`; the member's next move starts from that code; (4) the
   * buckets are written, each lifting its fence. A member counted just before the fence
   * and not yet in the index (gsi1 is eventually consistent, usually within a second of
   * the write) is left out of its bucket: the one window left, which the reads after the
   * fence's writes make short.
   */
  private async rebuildPartition<State>(
    partition: string,
    tally: Tally<State>,
    indexPartitions: readonly string[],
    now: Date,
  ): Promise<{ members: number; buckets: number }> {
    const existing = await this.monthsOf(partition);
    // No counter item and no member: nothing to count and nothing to correct, so no fence
    // and no bucket is written (a first move makes its bucket, tally.ts). An office's empty
    // jurisdictions cost two reads each instead of two writes a month since the epoch
    // (1,550 of the 3,060 calls of a first `npm start`). A record that comes meanwhile
    // counts itself: nothing here overwrites its bucket.
    if (existing.length === 0 && (await this.statesIn(indexPartitions)).length === 0) {
      return { members: 0, buckets: 0 };
    }
    const months = new Set([...existing, ...bucketMonths(now), nextMonth(now)]);
    await this.inParallel([...months], (month) =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: partition, sk: month },
          UpdateExpression:
            'SET #fence = :fence, #counts = if_not_exists(#counts, :empty), #pending = if_not_exists(#pending, :empty)',
          ExpressionAttributeNames: {
            '#fence': tallyFence,
            '#counts': 'counts',
            '#pending': 'pending',
          },
          ExpressionAttributeValues: { ':fence': now.toISOString(), ':empty': {} },
        }),
      ),
    );
    const states = await this.statesIn(indexPartitions);
    // A record seen under two statuses (gsi1 read while it moved): its latest version only.
    const latest = new Map<string, ReturnType<Tally<State>['of']> & { stream: string }>();
    for (const item of states) {
      const listed = tally.of(item.state as State, item.version);
      const stream = this.streamOf(partition, listed.member);
      const seen = latest.get(stream);
      if (!seen || listed.code > seen.code) latest.set(stream, { ...listed, stream });
    }
    const members = [...latest.values()];
    const markers = await this.markersOf(members.map((member) => member.stream));
    const buckets = new Map<
      string,
      { counts: Record<string, number>; pending: Record<string, string> }
    >([...months].map((month) => [month, { counts: {}, pending: {} }]));
    await this.inParallel(members, async (listed) => {
      const { member, code, sort, pending } = await this.settleMarker(
        listed,
        tally,
        markers.get(listed.stream) ?? null,
      );
      const bucket = buckets.get(sort) ?? { counts: {}, pending: {} };
      buckets.set(sort, bucket);
      for (const [cell, value] of Object.entries(tally.deltas(null, code))) {
        bucket.counts[cell] = (bucket.counts[cell] ?? 0) + value;
      }
      if (pending) bucket.pending[member] = code;
    });
    // Written without the fence: each write lifts it.
    await this.inParallel([...buckets], ([month, { counts, pending }]) =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: partition, sk: month, counts, pending },
        }),
      ),
    );
    return { members: members.length, buckets: buckets.size };
  }

  /** The record's stream from its counter partition's kind and its member id. */
  private streamOf(partition: string, member: string): string {
    return partition.startsWith(tipStatisticsPartition(''))
      ? tipStream(member)
      : hazardStream(member);
  }

  /**
   * Writes one member's marker with the code the rebuilt bucket will count it as, on the
   * condition that no move was claimed since its marker was read (else reads it again).
   */
  private async settleMarker<State>(
    listed: { stream: string; member: string; sort: string; code: string },
    tally: Tally<State>,
    read: { code?: string; next?: string } | null,
  ): Promise<{ member: string; sort: string; code: string; pending: boolean }> {
    let marker = read;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      let { code, sort } = listed;
      if (marker?.next) {
        const current = await this.currentOf(listed.stream, tally);
        if (current) ({ code, sort } = current);
      }
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: listed.stream, sk: tallyMarkerKey, code },
            ConditionExpression: marker?.next ? '#next = :next' : 'attribute_not_exists(#next)',
            ExpressionAttributeNames: { '#next': 'next' },
            ...(marker?.next ? { ExpressionAttributeValues: { ':next': marker.next } } : {}),
          }),
        );
        return { member: listed.member, sort, code, pending: Boolean(marker?.next) };
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const again = await tallyMarker(this.documents, this.tableName, listed.stream);
        marker = {
          ...(again.code ? { code: again.code } : {}),
          ...(again.next ? { next: again.next } : {}),
        };
      }
    }
    throw new Error(`rebuild ${listed.stream}: its marker keeps changing`);
  }

  /** A record's code and bucket month from its state item, read consistently. */
  private async currentOf<State>(
    stream: string,
    tally: Tally<State>,
  ): Promise<{ code: string; sort: string } | null> {
    const Item = await this.stateItem(stream);
    if (!Item) return null;
    const { code, sort } = tally.of(Item.state as State, Item.version as number);
    return { code, sort };
  }

  /** A record's state item (state and version), read consistently. */
  private async stateItem(stream: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: stream, sk: 'STATE' },
        ProjectionExpression: '#state, #version',
        ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  /** The members' markers, 100 keys a BatchGetItem, read consistently. */
  private async markersOf(
    streams: readonly string[],
  ): Promise<Map<string, { code?: string; next?: string }>> {
    const markers = new Map<string, { code?: string; next?: string }>();
    for (let from = 0; from < streams.length; from += 100) {
      let keys: Record<string, unknown>[] = streams
        .slice(from, from + 100)
        .map((stream) => ({ pk: stream, sk: tallyMarkerKey }));
      while (keys.length) {
        const reply = await this.documents.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of reply.Responses?.[this.tableName] ?? []) {
          markers.set(item.pk as string, {
            ...(item.code ? { code: item.code as string } : {}),
            ...(item.next ? { next: item.next as string } : {}),
          });
        }
        keys = reply.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return markers;
  }

  /** Runs `work` over the items, ten requests at a time (single-item writes, no batch). */
  private async inParallel<Item>(items: readonly Item[], work: (item: Item) => Promise<unknown>) {
    for (let from = 0; from < items.length; from += 10) {
      await Promise.all(items.slice(from, from + 10).map(work));
    }
  }

  /**
   * Builds every bucket once, for records written before the counters existed or counted
   * in an older format: a marker item (HAZARD#STATS#, sk BUILT#<format>) says it was done,
   * and one per jurisdiction (sk BUILT#<format>#<jurisdiction>) what a run stopped by its
   * budget has done, so that the next run goes on from there. True when it built them now
   * (false too when the budget stopped it: the marker is then not written).
   */
  async builtInCurrentFormat(): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: statisticsBuiltMarker,
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  async ensureBuilt(
    jurisdictions: readonly string[],
    options: { now?: Date; budget?: Budget } = {},
  ): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: statisticsBuiltMarker,
        ConsistentRead: true,
      }),
    );
    if (Item) return false;
    return (await this.build(jurisdictions, options)).finished;
  }

  /** The build behind `ensureBuilt`, from the jurisdictions not yet built. */
  async build(
    jurisdictions: readonly string[],
    options: { now?: Date; budget?: Budget } = {},
  ): Promise<{ finished: boolean; jurisdictions: number }> {
    let built = 0;
    for (const jurisdiction of jurisdictions) {
      const progress = {
        pk: statisticsBuiltMarker.pk,
        sk: `${statisticsBuiltMarker.sk}#${jurisdiction}`,
      };
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: progress, ConsistentRead: true }),
      );
      if (Item) continue;
      // Only between jurisdictions: a jurisdiction's fences are lifted before it stops.
      if (options.budget?.expired()) return { finished: false, jurisdictions: built };
      const counted = await this.rebuild([jurisdiction], options.now ?? new Date());
      await this.documents.send(
        new PutCommand({ TableName: this.tableName, Item: { ...progress, ...counted } }),
      );
      built += 1;
    }
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...statisticsBuiltMarker, jurisdictions: jurisdictions.length },
      }),
    );
    return { finished: true, jurisdictions: built };
  }

  /**
   * Checks one hazard's code in its bucket against its state and moves it if it is
   * behind (a counter update lost after its state write). 'moved' when it repaired.
   */
  async retally(hazardId: string): Promise<'moved' | 'counted' | 'current' | 'absent'> {
    return this.retallyStream(hazardStream(hazardId), hazardTally);
  }

  /**
   * The same for a tip's code in its tip bucket. 'counted': a tip received since the last
   * sweep, counted now for the first time (its intake defers it: no repair).
   */
  async retallyTip(tipId: string): Promise<'moved' | 'counted' | 'current' | 'absent'> {
    return this.retallyStream(tipStream(tipId), tipTally);
  }

  private async retallyStream<State>(
    stream: string,
    tally: Tally<State>,
  ): Promise<'moved' | 'counted' | 'current' | 'absent'> {
    const Item = await this.stateItem(stream);
    if (!Item) return 'absent';
    // One read more when all is well (the sweep's usual case); a move only if behind.
    const state = Item.state as State;
    const marker = await tallyMarker(this.documents, this.tableName, stream);
    const expected = tally.of(state, Item.version as number).code;
    if (
      !marker.next &&
      marker.code !== null &&
      (marker.code >= expected || Object.keys(tally.deltas(marker.code, expected)).length === 0)
    ) {
      return 'current';
    }
    // Not a repair: a record's first count (a tip's intake defers it) or deferred cells
    // (escalation steps' days), which only the sweep moves.
    const deferred =
      (tally.deferFirst && marker.code === null && !marker.next) ||
      (!marker.next &&
        marker.code !== null &&
        onlyDeferred(tally, tally.deltas(marker.code, expected)));
    // From the marker as read: its code is what the claim's condition expects.
    const outcome = await applyTally(
      this.documents,
      this.tableName,
      tally,
      stream,
      state,
      Item.version as number,
      marker.code !== null && !marker.next ? { code: marker.code } : null,
    );
    return deferred ? 'counted' : outcome;
  }
}
