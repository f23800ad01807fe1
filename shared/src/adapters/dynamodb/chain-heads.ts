import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChainHead, StoredDay } from '../../chain-heads/chain-heads.ts';
import type { ChainHeadsStore } from '../../chain-heads/store.ts';
import { hazardIdOfStream, hazardLedgerPartition } from '../../hazards/hazard.ts';
import { ledgerStatuses } from '../../hazards/schemas.ts';

/**
 * Published days under pk `CHAINHEADS`, sk `DAY#<date>` (newest first by a Query), and
 * each day's leaves in pages of a partition of their own, pk `CHAINHEADS#<date>`, sk
 * `DIGEST#<digest>#PAGE#<n>`: a page is a list of leaf hashes (65 bytes each, so 2,048 stay
 * far below the 400 KB item limit), never a hazard id. Keeping pages out of the
 * `CHAINHEADS` partition lets the list of days be read without reading leaves; naming them
 * by digest means a publication that loses a race writes nothing anybody reads. A day
 * item's `pages` are `<first leaf> <subtree hash>` strings. Days written before roots were
 * published (they listed hazard ids and have no root) are not read.
 */
const dayKey = (date: string) => ({ pk: 'CHAINHEADS', sk: `DAY#${date}` });
const pageKey = (day: StoredDay, page: number) => ({
  pk: `CHAINHEADS#${day.date}`,
  sk: `DIGEST#${day.digest}#PAGE#${String(page).padStart(4, '0')}`,
});

function dayOf(item: Record<string, unknown>): StoredDay {
  return {
    date: String(item.date),
    root: String(item.root),
    count: Number(item.count),
    previousDigest: String(item.previousDigest),
    digest: String(item.digest),
    publishedAt: String(item.publishedAt),
    pageSize: Number(item.pageSize),
    pages: (item.pages as string[]).map((page) => {
      const [first = '', root = ''] = page.split(' ');
      return { first, root };
    }),
  };
}

const isRootedDay = (item: Record<string, unknown>) =>
  typeof item.root === 'string' && Array.isArray(item.pages);

export class DynamoChainHeadsStore implements ChainHeadsStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  /** The ledger index (gsi1: HAZARDS#<jurisdiction>#<status>), every status: Queries only. */
  async currentHeads(jurisdictions: readonly string[]): Promise<ChainHead[]> {
    const heads = new Map<string, ChainHead>();
    for (const jurisdiction of jurisdictions) {
      for (const status of ledgerStatuses) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await this.documents.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': hazardLedgerPartition(jurisdiction, status) },
              ProjectionExpression: '#pk, #version, #head',
              ExpressionAttributeNames: { '#pk': 'pk', '#version': 'version', '#head': 'head' },
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const head: ChainHead = {
              hazardId: hazardIdOfStream(String(item.pk)),
              sequence: Number(item.version),
              head: String(item.head),
            };
            // A hazard that changed status while the partitions were read is seen twice.
            const seen = heads.get(head.hazardId);
            if (!seen || seen.sequence < head.sequence) heads.set(head.hazardId, head);
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
    }
    return [...heads.values()];
  }

  async listDays(limit: number): Promise<StoredDay[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
        ExpressionAttributeValues: { ':pk': 'CHAINHEADS', ':day': 'DAY#' },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).filter(isRootedDay).map(dayOf);
  }

  async getDay(date: string): Promise<StoredDay | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: dayKey(date), ConsistentRead: true }),
    );
    return Item && isRootedDay(Item) ? dayOf(Item) : null;
  }

  async getPage(day: StoredDay, page: number): Promise<string[]> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: pageKey(day, page) }),
    );
    if (!Item) throw new Error(`chain heads of ${day.date}: page ${page} is missing`);
    return Item.leaves as string[];
  }

  async putPage(day: StoredDay, page: number, leaves: readonly string[]): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...pageKey(day, page),
          date: day.date,
          digest: day.digest,
          page,
          leaves: [...leaves],
        },
      }),
    );
  }

  async putDay(day: StoredDay): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...dayKey(day.date),
            date: day.date,
            root: day.root,
            count: day.count,
            previousDigest: day.previousDigest,
            digest: day.digest,
            publishedAt: day.publishedAt,
            pageSize: day.pageSize,
            pages: day.pages.map(({ first, root }) => `${first} ${root}`),
          },
          // A published day is never written again.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
