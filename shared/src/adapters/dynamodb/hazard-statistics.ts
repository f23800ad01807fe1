import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Tally } from '../../event-log/event-store.ts';
import { deskLedgerStatuses } from '../../hazards/desk.ts';
import { type HazardState, hazardLedgerPartition, hazardStream } from '../../hazards/hazard.ts';
import {
  type Bucket,
  type HazardStatistics,
  hazardTally,
  statisticsPartition,
} from '../../hazards/statistics.ts';
import { type TipState, tipInboxPartition, tipStream } from '../../tips/tip-state.ts';
import {
  allTipStatuses,
  type TipBucket,
  tipStatisticsPartition,
  tipTally,
} from '../../tips/tip-statistics.ts';
import { readPartition } from './index-page.ts';
import { readRewardEntries } from './reward-statistics.ts';
import { applyTally, onlyDeferred, tallyMarker, tallyMarkerKey } from './tally.ts';

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
 */
export const countersFormat = 3;

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
   * is emptied. Run when nothing writes (a deploy, a repair): a write during it may be
   * overwritten, and the reconciler's check of recent changes would put it back.
   */
  async rebuild(
    jurisdictions: readonly string[],
  ): Promise<{ hazards: number; tips: number; buckets: number }> {
    let hazards = 0;
    let tips = 0;
    let written = 0;
    for (const jurisdiction of jurisdictions) {
      const hazardStates = await this.statesIn(
        deskLedgerStatuses.map((status) => hazardLedgerPartition(jurisdiction, status)),
      );
      written += await this.rebuildPartition(
        statisticsPartition(jurisdiction),
        hazardStates.map((item) => {
          const state = item.state as HazardState;
          return { stream: hazardStream(state.hazardId), ...hazardTally.of(state, item.version) };
        }),
        hazardTally.deltas,
      );
      hazards += hazardStates.length;
      const tipStates = await this.statesIn(
        allTipStatuses.map((status) => tipInboxPartition(jurisdiction, status)),
      );
      written += await this.rebuildPartition(
        tipStatisticsPartition(jurisdiction),
        tipStates.map((item) => {
          const state = item.state as TipState;
          return { stream: tipStream(state.tipId), ...tipTally.of(state, item.version) };
        }),
        tipTally.deltas,
      );
      tips += tipStates.length;
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

  /** Overwrites one partition's buckets with its members' cells, and their markers. */
  private async rebuildPartition(
    partition: string,
    members: { stream: string; sort: string; code: string }[],
    deltas: (before: string | null, after: string) => Record<string, number>,
  ): Promise<number> {
    const buckets = new Map<string, Record<string, number>>();
    const markers: Record<string, unknown>[] = [];
    for (const member of members) {
      const counts = buckets.get(member.sort) ?? {};
      buckets.set(member.sort, counts);
      for (const [cell, value] of Object.entries(deltas(null, member.code))) {
        counts[cell] = (counts[cell] ?? 0) + value;
      }
      markers.push({ pk: member.stream, sk: tallyMarkerKey, code: member.code });
    }
    for (const month of await this.monthsOf(partition)) {
      if (!buckets.has(month)) buckets.set(month, {});
    }
    const items = [
      ...[...buckets].map(([month, counts]) => ({ pk: partition, sk: month, counts, pending: {} })),
      ...markers,
    ];
    for (let from = 0; from < items.length; from += 25) {
      let writes = items.slice(from, from + 25).map((Item) => ({ PutRequest: { Item } }));
      while (writes.length) {
        const reply = await this.documents.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: writes } }),
        );
        writes = (reply.UnprocessedItems?.[this.tableName] ?? []) as typeof writes;
      }
    }
    return buckets.size;
  }

  /**
   * Builds every bucket once, for hazards written before the counters existed or counted in
   * an older format: a marker item (HAZARD#STATS#, sk BUILT#<format>) says it was done.
   * True when it built them now.
   */
  async ensureBuilt(jurisdictions: readonly string[]): Promise<boolean> {
    const key = { pk: statisticsPartition(''), sk: `BUILT#${countersFormat}` };
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (Item) return false;
    const built = await this.rebuild(jurisdictions);
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key, ...built } }),
    );
    return true;
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
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: stream, sk: 'STATE' },
        ProjectionExpression: '#state, #version',
        ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
        ConsistentRead: true,
      }),
    );
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
