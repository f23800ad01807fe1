import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChainHead, PublishedDay } from '../../chain-heads/chain-heads.ts';
import type { ChainHeadsStore } from '../../chain-heads/store.ts';
import { ledgerStatuses } from '../../hazards/schemas.ts';

/**
 * Published days under pk `CHAINHEADS`, sk `DAY#<date>` (newest first by a Query), and
 * each day's heads in pages of a partition of their own, pk `CHAINHEADS#<date>`, sk
 * `DIGEST#<digest>#PAGE#<n>`: a page is a list of `<hazardId> <sequence> <head>` lines
 * (about 100 bytes each, so 2,000 stay far below the 400 KB item limit). Keeping pages
 * out of the `CHAINHEADS` partition lets the list of days be read without reading heads;
 * naming them by digest means a publication that loses a race writes nothing anybody reads.
 */
const dayKey = (date: string) => ({ pk: 'CHAINHEADS', sk: `DAY#${date}` });
const pageKey = (day: PublishedDay, page: number) => ({
  pk: `CHAINHEADS#${day.date}`,
  sk: `DIGEST#${day.digest}#PAGE#${String(page).padStart(4, '0')}`,
});

const dayFields = [
  'date',
  'digest',
  'previousDigest',
  'count',
  'pages',
  'pageSize',
  'publishedAt',
] as const;

function dayOf(item: Record<string, unknown>): PublishedDay {
  return {
    date: String(item.date),
    digest: String(item.digest),
    previousDigest: String(item.previousDigest),
    count: Number(item.count),
    pages: Number(item.pages),
    pageSize: Number(item.pageSize),
    publishedAt: String(item.publishedAt),
  };
}

function headOf(line: string): ChainHead {
  const [hazardId = '', sequence = '0', head = ''] = line.split(' ');
  return { hazardId, sequence: Number(sequence), head };
}

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
              ExpressionAttributeValues: { ':pk': `HAZARDS#${jurisdiction}#${status}` },
              ProjectionExpression: '#pk, #version, #head',
              ExpressionAttributeNames: { '#pk': 'pk', '#version': 'version', '#head': 'head' },
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const head: ChainHead = {
              hazardId: String(item.pk).replace(/^HAZARD#/, ''),
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

  async listDays(limit: number): Promise<PublishedDay[]> {
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
    return (Items ?? []).map(dayOf);
  }

  async getDay(date: string): Promise<PublishedDay | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: dayKey(date), ConsistentRead: true }),
    );
    return Item ? dayOf(Item) : null;
  }

  async getPage(day: PublishedDay, page: number): Promise<ChainHead[]> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: pageKey(day, page) }),
    );
    if (!Item) throw new Error(`chain heads of ${day.date}: page ${page} is missing`);
    return (Item.heads as string[]).map(headOf);
  }

  async putPage(day: PublishedDay, page: number, heads: readonly ChainHead[]): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...pageKey(day, page),
          date: day.date,
          digest: day.digest,
          page,
          heads: heads.map(({ hazardId, sequence, head }) => `${hazardId} ${sequence} ${head}`),
        },
      }),
    );
  }

  async putDay(day: PublishedDay): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...dayKey(day.date),
            ...Object.fromEntries(dayFields.map((field) => [field, day[field]])),
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
