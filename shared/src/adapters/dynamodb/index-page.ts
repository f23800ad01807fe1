import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * One page of a partition of a secondary index, newest (highest sort key) first unless
 * asked otherwise: how every list of the console answers (a Query, never a Scan). The
 * cursor is the page's last key, opaque to the client.
 */
export async function queryIndexPage<Item>(
  documents: DynamoDBDocumentClient,
  query: {
    tableName: string;
    indexName: 'gsi1' | 'gsi2';
    partition: string;
    limit: number;
    cursor?: string;
    /** The stored item's attribute that holds the record's state. */
    pick: (item: Record<string, unknown>) => Item;
    ascending?: boolean;
  },
): Promise<{ items: Item[]; nextCursor?: string }> {
  const page = await documents.send(
    new QueryCommand({
      TableName: query.tableName,
      IndexName: query.indexName,
      KeyConditionExpression: `${query.indexName}pk = :pk`,
      ExpressionAttributeValues: { ':pk': query.partition },
      ScanIndexForward: query.ascending ?? false,
      Limit: query.limit,
      ...(query.cursor ? { ExclusiveStartKey: decodeCursor(query.cursor) } : {}),
    }),
  );
  return {
    items: (page.Items ?? []).map(query.pick),
    ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor(page.LastEvaluatedKey) } : {}),
  };
}

const encodeCursor = (key: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key)) return key;
  } catch {}
  return {};
}

/**
 * Every record id in some gsi1 partitions (ids only: the stream key without its prefix):
 * how the embedded cloud finds the records whose lifecycle must resume after a restart.
 */
export async function recordIdsIn(
  documents: DynamoDBDocumentClient,
  tableName: string,
  partitions: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const partition of partitions) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.pk).replace(/^[A-Z]+#/, ''));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return ids;
}

/** Every record id listed under `prefix#<jurisdiction>#<status>` for these statuses. */
export function recordIdsByStatus(
  documents: DynamoDBDocumentClient,
  tableName: string,
  prefix: string,
  jurisdictions: readonly string[],
  statuses: readonly string[],
): Promise<string[]> {
  return recordIdsIn(
    documents,
    tableName,
    jurisdictions.flatMap((jurisdiction) =>
      statuses.map((status) => `${prefix}#${jurisdiction}#${status}`),
    ),
  );
}
