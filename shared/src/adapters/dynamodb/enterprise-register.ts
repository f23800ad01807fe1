import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type EnterpriseState, enterpriseRegisterPartition } from '../../enterprises/enterprise.ts';
import { searchPageSize, searchReadLimit, searchTerms } from '../../enterprises/register-search.ts';
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

  /**
   * Entries whose name, address or credit code contains `q` (register-search.ts): Queries of
   * the jurisdiction's partition with a filter, in name order, until a page is full or
   * `searchReadLimit` entries were read; then a cursor to read on from, if there is more.
   */
  async search(query: { jurisdiction: string; q: string; cursor?: string }) {
    const terms = searchTerms(query.q);
    const values: Record<string, string> = {};
    const clauses: string[] = [];
    for (const [index, term] of terms.entries()) {
      values[`:q${index}`] = term;
      for (const field of ['#name', '#address', '#uscc']) {
        clauses.push(`contains(#state.${field}, :q${index})`);
      }
    }
    const filter = {
      expression: clauses.join(' OR '),
      names: { '#state': 'state', '#name': 'name', '#address': 'address', '#uscc': 'uscc' },
      values,
    };
    const items: EnterpriseState[] = [];
    let cursor = query.cursor;
    let read = 0;
    do {
      // Each read asks for no more than is left of the bound.
      const limit = Math.min(200, searchReadLimit - read);
      const page = await queryIndexPage(this.documents, {
        tableName: this.tableName,
        indexName: 'gsi1',
        partition: enterpriseRegisterPartition(query.jurisdiction),
        limit,
        ...(cursor ? { cursor } : {}),
        pick: (item) => item.state as EnterpriseState,
        ascending: true,
        filter,
      });
      read += limit;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && items.length < searchPageSize && read < searchReadLimit);
    return { items, ...(cursor ? { nextCursor: cursor } : {}) };
  }
}
