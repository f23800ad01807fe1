import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { erasedSeal, isErasedSeal, isSealedKey } from '../../event-log/event-log.ts';
import { sealedDataPartition } from '../../tips/retention.ts';
import { tipStream } from '../../tips/tip-state.ts';

/**
 * The retention sweep's reads and writes (tips/retention-sweep.ts): the tips due, from the
 * sweep's index (gsi3 on tip state items, SEALED#<jurisdiction>, by when the reward matter
 * ended: a Query, never a Scan), and the sealed values on a tip's event items replaced by
 * their tombstones, each by a conditional single-item update.
 */
export class DynamoSealedData {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  /** The tips of a jurisdiction holding sealed data whose matter ended before `cutoff`. */
  async *due(jurisdiction: string, cutoff: string): AsyncGenerator<string> {
    const prefix = tipStream('');
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :cutoff',
          ExpressionAttributeValues: {
            ':pk': sealedDataPartition(jurisdiction),
            ':cutoff': cutoff,
          },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const stream = String(item.pk);
        if (stream.startsWith(prefix)) yield stream.slice(prefix.length);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /**
   * Every sealed value on the stream's events replaced by its tombstone, where the event's
   * hash allows it (hash version 2); one recorded before is counted as kept. The condition
   * names the ciphertext read: a retry, or a concurrent sweep, writes nothing twice.
   */
  async tombstone(stream: string): Promise<{ tombstoned: number; kept: number }> {
    let tombstoned = 0;
    let kept = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': stream, ':from': 'E#', ':to': 'E#9' },
          ProjectionExpression: 'pk, sk, #data, hashVersion',
          ExpressionAttributeNames: { '#data': 'data' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        for (const path of sealedPaths(item.data, ['data'])) {
          if (item.hashVersion !== 2) {
            kept += 1;
            continue;
          }
          if (await this.replace(item, path)) tombstoned += 1;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { tombstoned, kept };
  }

  private async replace(
    item: Record<string, unknown>,
    path: { keys: string[]; sealed: string },
  ): Promise<boolean> {
    const names = Object.fromEntries(path.keys.map((key, index) => [`#k${index}`, key]));
    const attribute = Object.keys(names).join('.');
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `SET ${attribute} = :tombstone`,
          ConditionExpression: `${attribute} = :sealed`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':sealed': path.sealed,
            ':tombstone': await erasedSeal(path.sealed),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** The paths of the sealed values not yet tombstoned in an event's data (its top level). */
function sealedPaths(data: unknown, keys: string[]): { keys: string[]; sealed: string }[] {
  if (!data || typeof data !== 'object') return [];
  return Object.entries(data).flatMap(([key, item]) =>
    isSealedKey(key) && typeof item === 'string' && !isErasedSeal(item)
      ? [{ keys: [...keys, key], sealed: item }]
      : [],
  );
}
