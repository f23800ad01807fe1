import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Budget } from './budget.ts';
import { DynamoHazardStatistics, statisticsBuiltMarker } from './hazard-statistics.ts';
import {
  backfillHazardHistory,
  backfillLedgerIndexes,
  backfillRecordedBy,
  backfillSealedDataIndex,
  backfillTipPlaceIndex,
  hazardHistoryMarker,
  ledgerIndexesMarker,
  recordedByMarker,
  sealedDataIndexMarker,
  tipPlaceIndexMarker,
} from './ledger-backfills.ts';

/**
 * The one-time data backfills, for records written before a feature existed: each is
 * guarded by a marker item, safe to stop anywhere and to run again (it skips what is done),
 * and safe while records change. The embedded cloud runs them at start; on AWS the
 * reconciler's scheduled function runs the missing ones before its sweep, within a budget,
 * so that the first runs after an upgrade finish them.
 */
export const backfills = {
  /** The spans each hazard's log says ended: before the counters, which count them. */
  hazardHistory: hazardHistoryMarker,
  /** The statistics' counters (built in the current cells' format). */
  statistics: statisticsBuiltMarker,
  /** The filtered ledger's index attributes. */
  ledgerIndexes: ledgerIndexesMarker,
  /** Who recorded each hazard (the desk's "my cases"). */
  recordedBy: recordedByMarker,
  /** Tips with sealed data past their reward matter, on the retention sweep's index. */
  sealedDataIndex: sealedDataIndexMarker,
  /** Tips on the possible duplicates' indexes (by enterprise, by address). */
  tipPlaceIndex: tipPlaceIndexMarker,
} as const;
export type Backfill = keyof typeof backfills;
const order = Object.keys(backfills) as Backfill[];

export interface BackfillRun {
  /** Finished by this run (their markers written). */
  finished: Backfill[];
  /** Left for the next run: the budget ran out (their markers not written). */
  unfinished: Backfill[];
}

export class DynamoBackfills {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  /** The backfills whose marker is absent: one BatchGetItem, read consistently. */
  async missing(): Promise<Backfill[]> {
    const found = new Set<string>();
    let keys: Record<string, unknown>[] = order.map((name) => ({ ...backfills[name] }));
    while (keys.length) {
      const reply = await this.documents.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'pk, sk' },
          },
        }),
      );
      for (const item of reply.Responses?.[this.tableName] ?? [])
        found.add(`${item.pk}|${item.sk}`);
      keys = reply.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return order.filter((name) => !found.has(`${backfills[name].pk}|${backfills[name].sk}`));
  }

  /** Runs these backfills in turn until the budget runs out; each writes its marker once done. */
  async run(
    names: readonly Backfill[],
    jurisdictions: readonly string[],
    options: { now: Date; budget: Budget },
  ): Promise<BackfillRun> {
    const run: BackfillRun = { finished: [], unfinished: [] };
    const { documents, tableName } = this;
    const target = { documents, tableName, jurisdictions, budget: options.budget };
    // The counters' rebuild reads the states through the index, which DynamoDB keeps
    // eventually consistent: once the history backfill has changed states, the rest waits
    // for the next run (minutes later), so that the rebuild counts the states as changed.
    let changedStates = false;
    const steps: Record<Backfill, () => Promise<boolean>> = {
      hazardHistory: async () => {
        const done = await backfillHazardHistory(target);
        changedStates = done.updated > 0;
        return done.finished;
      },
      statistics: async () =>
        (await new DynamoHazardStatistics(documents, tableName).build(jurisdictions, options))
          .finished,
      ledgerIndexes: async () => (await backfillLedgerIndexes(target)).finished,
      recordedBy: async () => (await backfillRecordedBy(target)).finished,
      sealedDataIndex: async () => (await backfillSealedDataIndex(target)).finished,
      tipPlaceIndex: async () => (await backfillTipPlaceIndex(target)).finished,
    };
    for (const name of order.filter((name) => names.includes(name))) {
      if (run.unfinished.length || changedStates || !(await steps[name]()))
        run.unfinished.push(name);
      else run.finished.push(name);
    }
    return run;
  }
}
