import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidCursor } from '../../ports/page-cursor.ts';

/**
 * One page of a partition of a secondary index, newest (highest sort key) first unless
 * asked otherwise: how every list of the console answers (a Query, never a Scan). The
 * cursor is the page's last key, opaque to the client; one the client made up or carried
 * over from another list throws InvalidCursor before any read (see decodeCursor).
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
    /** A filter on the page read (it may come back shorter than `limit`, cursor still set). */
    filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  },
): Promise<{ items: Item[]; nextCursor?: string }> {
  const page = await documents.send(
    new QueryCommand({
      TableName: query.tableName,
      IndexName: query.indexName,
      KeyConditionExpression: `${query.indexName}pk = :pk`,
      ExpressionAttributeValues: { ':pk': query.partition, ...query.filter?.values },
      ...(query.filter
        ? {
            FilterExpression: query.filter.expression,
            ExpressionAttributeNames: query.filter.names,
          }
        : {}),
      ScanIndexForward: query.ascending ?? false,
      Limit: query.limit,
      ...(query.cursor
        ? { ExclusiveStartKey: decodeCursor(query.cursor, query.indexName, query.partition) }
        : {}),
    }),
  );
  return {
    items: (page.Items ?? []).map(query.pick),
    ...(page.LastEvaluatedKey ? { nextCursor: encodeCursor(page.LastEvaluatedKey) } : {}),
  };
}

const encodeCursor = (key: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/**
 * The ExclusiveStartKey a cursor holds, only if it is one this list could have given: the
 * base64url (canonical, no padding) of a JSON object holding exactly the table's and the
 * index's keys, as strings, in the partition the request's filters select. Anything else
 * (a forged key of another jurisdiction, status or enterprise included) is refused: the
 * key of another partition must never become a way to read it.
 */
export function decodeCursor(
  cursor: string,
  indexName: 'gsi1' | 'gsi2',
  partition: string,
): Record<string, string> {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) throw new InvalidCursor('not base64url');
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) throw new InvalidCursor('not canonical base64url');
  let key: unknown;
  try {
    key = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new InvalidCursor('not JSON');
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) {
    throw new InvalidCursor('not a key');
  }
  const expected = ['pk', 'sk', `${indexName}pk`, `${indexName}sk`];
  const names = Object.keys(key);
  const record = key as Record<string, unknown>;
  if (
    names.length !== expected.length ||
    !expected.every((name) => typeof record[name] === 'string' && record[name] !== '')
  ) {
    throw new InvalidCursor('not a key of this index');
  }
  if (record[`${indexName}pk`] !== partition) throw new InvalidCursor('another partition');
  return record as Record<string, string>;
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
    for await (const page of partitionPages(documents, {
      tableName,
      partition,
      projection: 'pk',
    })) {
      for (const item of page.Items ?? []) ids.push(String(item.pk).replace(/^[A-Z]+#/, ''));
    }
  }
  return ids;
}

/**
 * The pages of one partition of gsi1 (or `indexName`), in key order, with only what
 * `projection` names (or, with `count`, no items: only each page's Count), less what
 * `filter` leaves out. Every page is read: the partitions read whole are the ones kept
 * small (a jurisdiction's records under one status, its approved rewards).
 */
async function* partitionPages(
  documents: DynamoDBDocumentClient,
  query: {
    tableName: string;
    indexName?: 'gsi1' | 'gsi2';
    partition: string;
    projection?: string;
    names?: Record<string, string>;
    count?: boolean;
    filter?: string;
  },
) {
  const indexName = query.indexName ?? 'gsi1';
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: query.tableName,
        IndexName: indexName,
        KeyConditionExpression: `${indexName}pk = :pk`,
        ExpressionAttributeValues: { ':pk': query.partition },
        ...(query.filter ? { FilterExpression: query.filter } : {}),
        ...(query.count ? { Select: 'COUNT' as const } : {}),
        ...(query.projection ? { ProjectionExpression: query.projection } : {}),
        ...(query.names ? { ExpressionAttributeNames: query.names } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Every record id listed in the record kind's index partitions for these statuses. */
export function recordIdsByStatus<Status extends string>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  partition: (jurisdiction: string, status: Status) => string,
  jurisdictions: readonly string[],
  statuses: readonly Status[],
): Promise<string[]> {
  return recordIdsIn(
    documents,
    tableName,
    jurisdictions.flatMap((jurisdiction) =>
      statuses.map((status) => partition(jurisdiction, status)),
    ),
  );
}

/** Every item of one partition with only the attributes a projection names. */
export async function readPartition(
  documents: DynamoDBDocumentClient,
  query: {
    tableName: string;
    indexName?: 'gsi1' | 'gsi2';
    partition: string;
    projection: string;
    names?: Record<string, string>;
    filter?: string;
  },
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of partitionPages(documents, query)) items.push(...(page.Items ?? []));
  return items;
}

/** How many items one gsi1 partition holds (Select COUNT, paged: nothing is read out). */
export async function countPartition(
  documents: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
): Promise<number> {
  let count = 0;
  for await (const page of partitionPages(documents, { tableName, partition, count: true })) {
    count += page.Count ?? 0;
  }
  return count;
}
