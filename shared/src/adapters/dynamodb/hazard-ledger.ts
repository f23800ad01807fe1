import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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
   * nothing to backfill.
   */
  async entries(query: Parameters<HazardLedger['entries']>[0]): Promise<LedgerEntry[]> {
    const items = await readPartition(this.documents, {
      tableName: this.tableName,
      partition: hazardLedgerPartition(query.jurisdiction, query.status),
      projection:
        '#state.#grade, #state.#round.#deadline, #state.#pending.#requestedBy, #state.#escalations',
      names: {
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
        grade: LedgerEntry['grade'];
        round?: { deadline?: string };
        pendingExtension?: unknown;
        escalations?: { at: string; withdrawn?: boolean }[];
      };
      const escalatedAt = (state.escalations ?? [])
        .filter((step) => !step.withdrawn)
        .map((step) => step.at);
      return {
        grade: state.grade,
        ...(state.round?.deadline ? { deadline: state.round.deadline } : {}),
        ...(state.pendingExtension ? { pendingExtension: true } : {}),
        ...(escalatedAt.length ? { escalatedAt } : {}),
      };
    });
  }

  /**
   * Gives hazards written before the filtered ledger's indexes existed their index
   * attributes, once: a marker item (LEDGER#INDEXES, sk BUILT) says it was done. Each state
   * item is updated only at the version read (a write in between wrote them itself).
   * Reads every hazard through gsi1, so it runs at start, not per request. The count done.
   */
  async ensureIndexed(jurisdictions: readonly string[]): Promise<number> {
    const marker = { pk: 'LEDGER#INDEXES', sk: 'BUILT' };
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
          projection: 'pk, sk, #version, #state, gsi3pk',
          names: { '#version': 'version', '#state': 'state' },
        });
        for (const item of items) {
          if (item.gsi3pk) continue;
          const state = item.state as HazardState;
          const indexes = Object.entries(ledgerFilterIndexes(state, ledgerStatus(state)));
          try {
            await this.documents.send(
              new UpdateCommand({
                TableName: this.tableName,
                Key: { pk: item.pk, sk: item.sk },
                UpdateExpression: `SET ${indexes.map((_, index) => `#n${index} = :v${index}`).join(', ')}`,
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: {
                  '#version': 'version',
                  ...Object.fromEntries(indexes.map(([name], index) => [`#n${index}`, name])),
                },
                ExpressionAttributeValues: {
                  ':version': item.version,
                  ...Object.fromEntries(indexes.map(([, value], index) => [`:v${index}`, value])),
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
