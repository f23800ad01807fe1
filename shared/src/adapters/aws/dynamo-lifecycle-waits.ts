import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/** A lifecycle execution waiting for a person's decision or its timer. */
export interface LifecycleWait {
  /** The record's stream: HAZARD#<id> or TIP#<id>. */
  stream: string;
  generation: number;
  /** Step Functions' task token: a bearer secret, never logged. */
  taskToken: string;
  timeoutSeconds: number;
}

/** The key of the one wait item on a record's partition. */
export const waitKey = (stream: string) => ({ pk: stream, sk: 'WAIT' });

/**
 * Keeps the task token of a record's waiting lifecycle on the record's partition, as
 * item {pk: HAZARD#<id> or TIP#<id>, sk: WAIT}, so that an officer's decision, once written to the
 * record, can send task success to it and the workflow plans again at once. One plain
 * PutItem: the latest wait replaces the one before it (whose token is spent or timed out).
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
    if (!wait.taskToken) throw new Error('A wait needs its task token');
    if (!Number.isInteger(wait.generation) || wait.generation < 1) {
      throw new Error('A wait needs a generation (an integer from 1)');
    }
    const until = new Date(this.now().getTime() + wait.timeoutSeconds * 1000).toISOString();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...waitKey(wait.stream),
            taskToken: wait.taskToken,
            generation: wait.generation,
            until,
          },
          ConditionExpression: 'attribute_not_exists(generation) OR generation <= :generation',
          ExpressionAttributeValues: { ':generation': wait.generation },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { until, stale: true };
      throw error;
    }
    return { until, stale: false };
  }

  /** The hazard's current wait, if its lifecycle ever waited (read strongly: a race). */
  async find(stream: string): Promise<{ taskToken: string; generation: number } | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: waitKey(stream), ConsistentRead: true }),
    );
    if (!Item || typeof Item.taskToken !== 'string') return null;
    return { taskToken: Item.taskToken, generation: Number(Item.generation) };
  }
}
