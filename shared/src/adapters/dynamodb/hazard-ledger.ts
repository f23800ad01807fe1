import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  enterpriseHazardsPartition,
  type HazardState,
  hazardLedgerPartition,
  type LedgerStatus,
} from '../../hazards/hazard.ts';
import type { HazardLedger } from '../../hazards/ledger.ts';
import { queryIndexPage, recordIdsByStatus } from './index-page.ts';

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

  list(query: Parameters<HazardLedger['list']>[0]) {
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
}
