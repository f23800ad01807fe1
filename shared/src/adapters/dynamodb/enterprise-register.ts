import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type EnterpriseState, enterpriseRegisterPartition } from '../../enterprises/enterprise.ts';
import { queryIndexPage } from './index-page.ts';

/** The register from gsi1 (ENTERPRISES#<jurisdiction>, by name): a Query, never a Scan. */
export class DynamoEnterpriseRegister {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  list(query: { jurisdiction: string; limit: number; cursor?: string }) {
    return queryIndexPage(this.documents, {
      tableName: this.tableName,
      indexName: 'gsi1',
      partition: enterpriseRegisterPartition(query.jurisdiction),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      pick: (item) => item.state as EnterpriseState,
      // A register reads in name order.
      ascending: true,
    });
  }
}
