import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TipInbox } from '../../tips/inbox.ts';
import { type TipState, tipInboxPartition } from '../../tips/tip-state.ts';
import { countPartition, queryIndexPage, recordIdsByStatus } from './index-page.ts';

/** The inbox from gsi1 (TIPS#<jurisdiction>#<status>, newest first): a Query, never a Scan. */
export class DynamoTipInbox implements TipInbox {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  list(query: Parameters<TipInbox['list']>[0]) {
    return queryIndexPage(this.documents, {
      tableName: this.tableName,
      indexName: 'gsi1',
      partition: tipInboxPartition(query.jurisdiction, query.status),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      pick: (item) => item.state as TipState,
    });
  }

  count(query: Parameters<TipInbox['count']>[0]) {
    return countPartition(
      this.documents,
      this.tableName,
      tipInboxPartition(query.jurisdiction, query.status),
    );
  }
}

/** Tips whose time limits still run (acceptance, verification, feedback). */
const liveTipStatuses = [
  'received',
  'accepted',
  'investigating',
  'substantiated',
  'unsubstantiated',
] as const;

/** The inbox's index: every tip whose lifecycle has a timer, to resume after a restart. */
export function liveTipIds(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jurisdictions: readonly string[],
): Promise<string[]> {
  return recordIdsByStatus(documents, tableName, tipInboxPartition, jurisdictions, liveTipStatuses);
}
