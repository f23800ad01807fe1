import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../event-log/event-log.ts';
import type { LedgerEntry } from '../../hazards/desk.ts';
import {
  enterpriseHazardsPartition,
  type HazardState,
  hazardLedgerPartition,
  type LedgerStatus,
  ledgerStatus,
} from '../../hazards/hazard.ts';
import type { HazardLedger } from '../../hazards/ledger.ts';
import { isFiltered } from '../../hazards/ledger-filter.ts';
import { ledgerFilterIndexes } from '../../hazards/ledger-indexes.ts';
import { ledgerStatuses } from '../../hazards/schemas.ts';
import { filteredLedgerPage } from './filtered-ledger.ts';
import { queryIndexPage, readPartition, recordIdsByStatus } from './index-page.ts';

/** Hazards whose lifecycle still has a timer: open ones, and closed ones awaiting a look-back. */
const liveStatuses: LedgerStatus[] = ['reported', 'rectifying', 'verifying', 'closed_look_back'];

/** The ledger's index (gsi1: HAZARDS#<jurisdiction>#<status>): every live hazard's id. */
export function liveHazardIds(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jurisdictions: readonly string[],
): Promise<string[]> {
  return recordIdsByStatus(
    documents,
    tableName,
    hazardLedgerPartition,
    jurisdictions,
    liveStatuses,
  );
}

/** The ledger from gsi1 and the enterprise file from gsi2: Queries, never a Scan. */
export class DynamoHazardLedger implements HazardLedger {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  /** Unfiltered: gsi1, major first, newest first. Filtered: the ledger's own indexes. */
  list(query: Parameters<HazardLedger['list']>[0]) {
    const { filter, ...rest } = query;
    if (isFiltered(filter)) {
      return filteredLedgerPage(this.documents, this.tableName, { ...rest, filter });
    }
    return queryIndexPage(this.documents, {
      tableName: this.tableName,
      indexName: 'gsi1',
      partition: hazardLedgerPartition(query.jurisdiction, query.status),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      pick: (item) => item.state as HazardState,
    });
  }

  ofEnterprise(query: Parameters<HazardLedger['ofEnterprise']>[0]) {
    return queryIndexPage(this.documents, {
      tableName: this.tableName,
      indexName: 'gsi2',
      partition: enterpriseHazardsPartition(query.jurisdiction, query.uscc),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      pick: (item) => item.state as HazardState,
    });
  }

  /**
   * The index item is the hazard's state item (gsi1 projects ALL), so grade, deadline,
   * pending extension and escalations are on it for every hazard, whenever written:
   * nothing to backfill. Who recorded it is on hazards written since recordedBy was
   * (ensureRecordedBy gives it to older ones).
   */
  async entries(query: Parameters<HazardLedger['entries']>[0]): Promise<LedgerEntry[]> {
    const items = await readPartition(this.documents, {
      tableName: this.tableName,
      partition: hazardLedgerPartition(query.jurisdiction, query.status),
      projection:
        '#state.#grade, #state.#round.#deadline, #state.#pending.#requestedBy, #state.#escalations, ' +
        '#state.#hazardId, #state.#place, #state.#recordedBy',
      names: {
        '#hazardId': 'hazardId',
        '#place': 'place',
        '#recordedBy': 'recordedBy',
        '#state': 'state',
        '#grade': 'grade',
        '#round': 'round',
        '#deadline': 'deadline',
        '#pending': 'pendingExtension',
        '#requestedBy': 'requestedBy',
        '#escalations': 'escalations',
      },
    });
    return items.map((item) => {
      const state = item.state as {
        hazardId?: string;
        place?: string;
        recordedBy?: string;
        grade: LedgerEntry['grade'];
        round?: { deadline?: string };
        pendingExtension?: unknown;
        escalations?: { at: string; withdrawn?: boolean }[];
      };
      const escalatedAt = (state.escalations ?? [])
        .filter((step) => !step.withdrawn)
        .map((step) => step.at);
      return {
        ...(state.hazardId ? { hazardId: state.hazardId } : {}),
        ...(state.place ? { place: state.place } : {}),
        ...(state.recordedBy ? { recordedBy: state.recordedBy } : {}),
        grade: state.grade,
        ...(state.round?.deadline ? { deadline: state.round.deadline } : {}),
        ...(state.pendingExtension ? { pendingExtension: true } : {}),
        ...(escalatedAt.length ? { escalatedAt } : {}),
      };
    });
  }

  /**
   * Gives hazards written before the filtered ledger's indexes existed their index
   * attributes, once: a marker item (LEDGER#INDEXES, sk BUILT) says it was done. Reads every
   * hazard through gsi1, so it runs at start, not per request. The count done.
   */
  ensureIndexed(jurisdictions: readonly string[]): Promise<number> {
    return this.backfill(jurisdictions, 'LEDGER#INDEXES', 'gsi3pk', async (item) =>
      item.gsi3pk
        ? null
        : ledgerFilterIndexes(item.state as HazardState, ledgerStatus(item.state as HazardState)),
    );
  }

  /**
   * Gives hazards recorded before the state kept recordedBy the actor of their
   * hazard_reported event (a person's id), once (marker LEDGER#RECORDED_BY): the desk's
   * "my cases" reads it from gsi1. One GetItem of the log's first event per such hazard,
   * at start. The count done.
   */
  ensureRecordedBy(jurisdictions: readonly string[]): Promise<number> {
    return this.backfill(jurisdictions, 'LEDGER#RECORDED_BY', '', async (item) => {
      const state = item.state as HazardState;
      if (state.recordedBy) return null;
      const { Item: first } = await this.documents.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: item.pk, sk: 'E#0000000001' },
          ProjectionExpression: 'actor',
        }),
      );
      const actor = first?.actor as Actor | undefined;
      return actor?.kind === 'person' ? { state: { ...state, recordedBy: actor.id } } : null;
    });
  }

  /**
   * Once per marker (sk BUILT): each hazard's state item that `change` gives attributes to
   * is updated with them, only at the version read (a write in between wrote them itself).
   */
  private async backfill(
    jurisdictions: readonly string[],
    markerKey: string,
    /** An attribute `change` reads beside the state, if any. */
    extra: string,
    change: (item: Record<string, unknown>) => Promise<Record<string, unknown> | null>,
  ): Promise<number> {
    const marker = { pk: markerKey, sk: 'BUILT' };
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: marker, ConsistentRead: true }),
    );
    if (Item) return 0;
    let updated = 0;
    for (const jurisdiction of jurisdictions) {
      for (const status of ledgerStatuses) {
        const items = await readPartition(this.documents, {
          tableName: this.tableName,
          partition: hazardLedgerPartition(jurisdiction, status),
          projection: ['pk, sk, #version, #state', extra].filter(Boolean).join(', '),
          names: { '#version': 'version', '#state': 'state' },
        });
        for (const item of items) {
          const attributes = await change(item);
          if (!attributes) continue;
          const entries = Object.entries(attributes);
          try {
            await this.documents.send(
              new UpdateCommand({
                TableName: this.tableName,
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
            updated += 1;
          } catch (error) {
            if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          }
        }
      }
    }
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...marker, hazards: updated } }),
    );
    return updated;
  }
}
