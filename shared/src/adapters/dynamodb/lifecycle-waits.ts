import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';

/** A lifecycle execution waiting for a person's decision or its timer. */
export interface LifecycleWait {
  /** The record's stream: HAZARD#<id> or TIP#<id>. */
  stream: string;
  generation: number;
  /** Step Functions' task token: a bearer secret, never logged. The local runner has none. */
  taskToken?: string;
  timeoutSeconds: number;
  /** The record's version the turn planned from: a decision written after it must wake it. */
  seenVersion?: number;
  /** The fingerprint of the definition the waiting execution runs (a deploy wakes older ones). */
  definition?: string;
}

/** What a record's lifecycle last said of itself: waiting until a time, or ended. */
export interface LifecycleWaitItem {
  stream: string;
  generation: number;
  taskToken?: string;
  /** When the wait's timer ends; absent once the lifecycle has ended. */
  until?: string;
  seenVersion?: number;
  definition?: string;
  ended?: boolean;
}

/** The key of the one wait item on a record's partition. */
export const waitKey = (stream: string) => ({ pk: stream, sk: 'WAIT' });

/**
 * The index of next-due times (gsi1, one partition): every waiting lifecycle by the time
 * its timer ends. The reconciler reads the waits whose time has long passed (a wake-up
 * that was lost); the embedded cloud rebuilds its timers from it after a restart. An
 * ended lifecycle's item leaves the index. ISO times sort as strings.
 */
const waitsPartition = 'LIFECYCLE_WAITS';

const generationNotNewer = {
  ConditionExpression: 'attribute_not_exists(generation) OR generation <= :generation',
};

/**
 * Keeps what each record's lifecycle last said of itself on the record's partition, as
 * item {pk: HAZARD#<id> or TIP#<id>, sk: WAIT}: the task token of its wait (so that an
 * officer's decision, once written to the record, can send task success to it and the
 * workflow plans again at once), when the wait ends, and the record version it planned
 * from. One plain PutItem: the latest wait replaces the one before it (whose token is
 * spent or timed out); an older generation never replaces a newer one's.
 */
export class DynamoLifecycleWaits {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly now: () => Date;

  constructor(client: DynamoDBDocumentClient, tableName: string, now = () => new Date()) {
    if (!tableName) throw new Error('DynamoLifecycleWaits needs a table name');
    this.client = client;
    this.tableName = tableName;
    this.now = now;
  }

  async register(wait: LifecycleWait): Promise<{ until: string; stale: boolean }> {
    if (wait.taskToken !== undefined && !wait.taskToken) {
      throw new Error('A wait needs its task token');
    }
    checkGeneration(wait.generation);
    const until = new Date(this.now().getTime() + wait.timeoutSeconds * 1000).toISOString();
    const stale = await this.put(wait.generation, {
      ...waitKey(wait.stream),
      ...(wait.taskToken ? { taskToken: wait.taskToken } : {}),
      generation: wait.generation,
      until,
      ...(wait.seenVersion !== undefined ? { seenVersion: wait.seenVersion } : {}),
      ...(wait.definition ? { definition: wait.definition } : {}),
      gsi1pk: waitsPartition,
      gsi1sk: `${until}#${wait.stream}`,
    });
    return { until, stale };
  }

  /** The lifecycle has nothing left to wait for: its item leaves the index of next-due times. */
  async end(stream: string, generation: number, seenVersion: number): Promise<void> {
    checkGeneration(generation);
    await this.put(generation, { ...waitKey(stream), generation, seenVersion, ended: true });
  }

  /** The record's current wait, if its lifecycle ever waited (read strongly: a race). */
  async find(stream: string): Promise<LifecycleWaitItem | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: waitKey(stream), ConsistentRead: true }),
    );
    return Item ? itemOf(Item) : null;
  }

  /**
   * Waiting lifecycles whose timer ends before `before` (all of them without it), earliest
   * first, a page at a time: a Query of the index, never a Scan.
   */
  async *waitingUntil(before?: Date): AsyncGenerator<LifecycleWaitItem> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: before ? 'gsi1pk = :pk AND gsi1sk < :before' : 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': waitsPartition,
            ...(before ? { ':before': before.toISOString() } : {}),
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) yield itemOf(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /** Puts the item unless a newer generation holds it; returns whether this one was stale. */
  private async put(generation: number, item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...generationNotNewer,
          ExpressionAttributeValues: { ':generation': generation },
        }),
      );
      return false;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return true;
      throw error;
    }
  }
}

function checkGeneration(generation: number): void {
  if (!Number.isInteger(generation) || generation < 1) {
    throw new Error('A wait needs a generation (an integer from 1)');
  }
}

function itemOf(item: Record<string, unknown>): LifecycleWaitItem {
  return {
    stream: String(item.pk),
    generation: Number(item.generation),
    ...(typeof item.taskToken === 'string' ? { taskToken: item.taskToken } : {}),
    ...(typeof item.until === 'string' && !item.ended ? { until: item.until } : {}),
    ...(typeof item.seenVersion === 'number' ? { seenVersion: item.seenVersion } : {}),
    ...(typeof item.definition === 'string' ? { definition: item.definition } : {}),
    ...(item.ended ? { ended: true } : {}),
  };
}
