import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Actor, RecordedEvent } from '../../event-log/event-log.ts';
import { deskLedgerStatuses } from '../../hazards/desk.ts';
import {
  type HazardState,
  hazardLedgerPartition,
  hazardProjection,
  ledgerStatus,
} from '../../hazards/hazard.ts';
import { ledgerFilterIndexes } from '../../hazards/ledger-indexes.ts';
import { tipPlaceIndex } from '../../tips/duplicates.ts';
import { sealedDataIndex } from '../../tips/retention.ts';
import { type TipState, tipInboxPartition } from '../../tips/tip-state.ts';
import { allTipStatuses } from '../../tips/tip-statistics.ts';
import type { Budget } from './budget.ts';
import { readPartition } from './index-page.ts';

/**
 * The hazard ledger's one-time backfills, for hazards written before a feature: kept apart
 * from the ledger's adapter so that the reconciler, which runs them on AWS, bundles no more
 * than they need (no filters, no schemas).
 */

/** The filtered ledger's index attributes were given to older hazards. */
export const ledgerIndexesMarker = { pk: 'LEDGER#INDEXES', sk: 'BUILT' } as const;
/** Older hazards were given who recorded them. */
export const recordedByMarker = { pk: 'LEDGER#RECORDED_BY', sk: 'BUILT' } as const;
/** Older tips were put on the retention sweep's index (under TIP#: the sweep's grant). */
export const sealedDataIndexMarker = { pk: 'TIP#SEALED_INDEX', sk: 'BUILT' } as const;
/**
 * Older hazards were given the overdue and closed spans their logs say ended (under HAZARD#,
 * which the reconciler that runs it on AWS may write, as the counters' markers are).
 */
export const hazardHistoryMarker = { pk: 'HAZARD#HISTORY', sk: 'BUILT' } as const;
/** Older tips were put on the possible duplicates' place indexes (gsi4, gsi5). */
export const tipPlaceIndexMarker = { pk: 'TIP#PLACE_INDEX', sk: 'BUILT' } as const;

const hazardPartitions = (jurisdiction: string) =>
  deskLedgerStatuses.map((status) => hazardLedgerPartition(jurisdiction, status));

/**
 * The tips' statuses whose reward matter may have ended (tips/retention.ts): a tip in
 * another one is still open, and will be indexed by the write that moves it.
 */
const endedTipStatuses = ['refused', 'referred', 'merged', 'closed', 'substantiated'] as const;
const tipPartitions = (jurisdiction: string) =>
  endedTipStatuses.map((status) => tipInboxPartition(jurisdiction, status));

/** Every status a tip may be in: a tip of any of them may be another's duplicate. */
const allTipPartitions = (jurisdiction: string) =>
  allTipStatuses.map((status) => tipInboxPartition(jurisdiction, status));

/** Where a backfill runs: the table, the jurisdictions it goes through, its budget if any. */
export interface BackfillTarget {
  documents: DynamoDBDocumentClient;
  tableName: string;
  jurisdictions: readonly string[];
  budget?: Budget;
}

/**
 * Gives hazards written before the filtered ledger's indexes existed their index
 * attributes, once: a marker item (LEDGER#INDEXES, sk BUILT) says it was done. Reads every
 * hazard through gsi1 (at the embedded cloud's start, or from the reconciler on AWS).
 */
export function backfillLedgerIndexes(target: BackfillTarget) {
  return backfill(target, ledgerIndexesMarker, hazardPartitions, 'gsi3pk', async (item) =>
    item.gsi3pk
      ? null
      : ledgerFilterIndexes(item.state as HazardState, ledgerStatus(item.state as HazardState)),
  );
}

/**
 * Gives hazards recorded before the state kept recordedBy the actor of their
 * hazard_reported event (a person's id), once (marker LEDGER#RECORDED_BY): the desk's
 * "my cases" reads it from gsi1. One GetItem of the log's first event per such hazard.
 */
export function backfillRecordedBy(target: BackfillTarget) {
  const { documents, tableName } = target;
  return backfill(target, recordedByMarker, hazardPartitions, '', async (item) => {
    const state = item.state as HazardState;
    if (state.recordedBy) return null;
    const { Item: first } = await documents.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: 'E#0000000001' },
        ProjectionExpression: 'actor',
      }),
    );
    const actor = first?.actor as Actor | undefined;
    return actor?.kind === 'person' ? { state: { ...state, recordedBy: actor.id } } : null;
  });
}

/**
 * Gives hazards written before their state kept `history` (hazards/history.ts) the spans
 * their logs say ended (overdue until a late extension or late evidence, closed until a
 * reopening), replayed from the log once (marker HAZARD#HISTORY): a past week's report then
 * counts them as they stood. One Query of the log per hazard that ever began rectifying.
 * It runs before the statistics' rebuild (backfills.ts), which counts the spans.
 */
export function backfillHazardHistory(target: BackfillTarget) {
  const { documents, tableName } = target;
  return backfill(target, hazardHistoryMarker, hazardPartitions, '', async (item) => {
    const state = item.state as HazardState;
    // Never rectified nor closed: no span can have ended. One that has some history may
    // lack older spans (it ended one after the upgrade, before this ran): replayed too.
    if (!state.round && !state.closedAt) return null;
    let replayed: HazardState | null = null;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          // The log up to the state's version: the state written is that version's.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: {
            ':pk': item.pk,
            ':first': 'E#',
            ':last': `E#${String(item.version).padStart(10, '0')}`,
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const event of page.Items ?? [])
        replayed = hazardProjection.apply(replayed, event as RecordedEvent);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const history = replayed?.history;
    if (JSON.stringify(history ?? null) === JSON.stringify(state.history ?? null)) return null;
    return { state: { ...state, history } };
  });
}

/**
 * Puts tips written before the retention sweep whose sealed data outlive their ended
 * reward matter on its index (gsi3, SEALED#<jurisdiction>), once (marker
 * TIP#SEALED_INDEX): the sweep then erases them when due, as it does newer ones.
 */
export function backfillSealedDataIndex(target: BackfillTarget) {
  return backfill(target, sealedDataIndexMarker, tipPartitions, 'gsi3pk', async (item) => {
    if (item.gsi3pk) return null;
    const index = sealedDataIndex(item.state as TipState);
    return index.gsi3pk ? index : null;
  });
}

/**
 * Puts tips written before the possible duplicates' indexes on them (gsi4 by enterprise,
 * gsi5 by address: tips/duplicates.ts), once (marker TIP#PLACE_INDEX).
 */
export function backfillTipPlaceIndex(target: BackfillTarget) {
  return backfill(target, tipPlaceIndexMarker, allTipPartitions, 'gsi5pk', async (item) => {
    if (item.gsi5pk) return null;
    const index = tipPlaceIndex(item.state as TipState);
    return Object.keys(index).length ? index : null;
  });
}

/**
 * Once per marker: each hazard's (or tip's) state item that `change` gives attributes to is updated
 * with them, only at the version read; a write in between (the index is read eventually
 * consistent) has the item read again, consistently, and `change` asked again. Safe to stop
 * anywhere and run again: `change` skips a hazard that has them. A budget that expires
 * stops it before the next hazard, the marker unwritten (finished: false).
 */
async function backfill(
  { documents, tableName, jurisdictions, budget }: BackfillTarget,
  marker: { pk: string; sk: string },
  /** The gsi1 partitions of a jurisdiction whose records it goes through. */
  partitions: (jurisdiction: string) => readonly string[],
  /** An attribute `change` reads beside the state, if any. */
  extra: string,
  change: (item: Record<string, unknown>) => Promise<Record<string, unknown> | null>,
): Promise<{ updated: number; finished: boolean }> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName, Key: marker, ConsistentRead: true }),
  );
  if (Item) return { updated: 0, finished: true };
  let updated = 0;
  for (const jurisdiction of jurisdictions) {
    for (const partition of partitions(jurisdiction)) {
      if (budget?.expired()) return { updated, finished: false };
      const items = await readPartition(documents, {
        tableName,
        partition,
        projection: ['pk, sk, #version, #state', extra].filter(Boolean).join(', '),
        names: { '#version': 'version', '#state': 'state' },
      });
      for (const listed of items) {
        if (budget?.expired()) return { updated, finished: false };
        // The index is read eventually consistent: a record written since is read again,
        // consistently, and changed at its version (a few times at most, then left).
        let item: Record<string, unknown> | undefined = listed;
        for (let attempt = 0; item && attempt < 3; attempt += 1) {
          const attributes = await change(item);
          if (!attributes) break;
          if (await updateAtVersion(documents, tableName, item, attributes)) {
            updated += 1;
            break;
          }
          item = await readAgain(documents, tableName, item, extra);
        }
      }
    }
  }
  await documents.send(
    new PutCommand({ TableName: tableName, Item: { ...marker, hazards: updated } }),
  );
  return { updated, finished: true };
}

/** A record's item read again, consistently, with what the backfill reads of it. */
async function readAgain(
  documents: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  extra: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: item.pk, sk: item.sk },
      ConsistentRead: true,
      ProjectionExpression: ['pk, sk, #version, #state', extra].filter(Boolean).join(', '),
      ExpressionAttributeNames: { '#version': 'version', '#state': 'state' },
    }),
  );
  return Item;
}

/** Sets the attributes if the item is still at the version read; false if it is not. */
async function updateAtVersion(
  documents: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  attributes: Record<string, unknown>,
): Promise<boolean> {
  const entries = Object.entries(attributes);
  try {
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${entries.map((_, index) => `#n${index} = :v${index}`).join(', ')}`,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: {
          '#version': 'version',
          ...Object.fromEntries(entries.map(([name], index) => [`#n${index}`, name])),
        },
        ExpressionAttributeValues: {
          ':version': item.version,
          ...Object.fromEntries(entries.map(([, value], index) => [`:v${index}`, value])),
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}
