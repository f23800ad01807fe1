import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ExposureList, exposurePartition } from '../../hazards/exposure.ts';
import { InvalidCursor } from '../../ports/page-cursor.ts';

/**
 * The exposure list as table items, pk `EXPOSED#<jurisdiction>`, sk `<reportedAt>#<hazardId>`,
 * each naming one hazard: a Query of the base table (a public route reads no index).
 */
export class DynamoExposureList implements ExposureList {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  async add(entry: { jurisdiction: string; sortKey: string; hazardId: string }): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: exposurePartition(entry.jurisdiction),
          sk: entry.sortKey,
          hazardId: entry.hazardId,
        },
      }),
    );
  }

  async page(query: { jurisdiction: string; limit: number; cursor?: string }) {
    const pk = exposurePartition(query.jurisdiction);
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'sk, hazardId',
        ScanIndexForward: false,
        Limit: query.limit,
        ...(query.cursor ? { ExclusiveStartKey: { pk, sk: decodeCursor(query.cursor) } } : {}),
      }),
    );
    const last = result.LastEvaluatedKey?.sk;
    return {
      hazardIds: (result.Items ?? []).map((item) => String(item.hazardId)),
      ...(typeof last === 'string' ? { nextCursor: encodeCursor(last) } : {}),
    };
  }
}

const sortKeyPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[a-z2-7]{26}$/;
const encodeCursor = (sortKey: string) => Buffer.from(sortKey).toString('base64url');

/** Only a sort key of this list: the partition is always the request's own jurisdiction. */
function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw new InvalidCursor('not base64url');
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodeCursor(sortKey) !== cursor || !sortKeyPattern.test(sortKey)) {
    throw new InvalidCursor('not a key of this list');
  }
  return sortKey;
}
