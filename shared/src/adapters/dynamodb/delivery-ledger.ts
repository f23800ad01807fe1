import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DeliveryClaim,
  type DeliveryLedger,
  type DeliveryRecord,
  deliveryRecordKeptMs,
} from '../../ports/delivery-ledger.ts';
import { epochSeconds, expiryAttribute } from './expiry.ts';

/** One item per notification key, in a partition of its own (the only one delivery writes). */
export const deliveryKey = (key: string) => ({ pk: `DELIVERY#${key}`, sk: 'DELIVERY' });

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

/** The expiry every write sets: deliveryRecordKeptMs after its time (DynamoDB TTL). */
const expiryOf = (now: Date) => epochSeconds(new Date(now.getTime() + deliveryRecordKeptMs));

/**
 * The delivery ledger as single-item conditional writes (no transactions: dynalite has
 * none). Times are ISO 8601 strings, which compare in time order. A claim that loses the
 * condition reads the item (consistently) to say why; an item that changed between the
 * two is claimed again, a few times at most. Every write pushes the item's expiry
 * (expiry.ts) to deliveryRecordKeptMs after the time it is given.
 */
export class DynamoDeliveryLedger implements DeliveryLedger {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  async claim(key: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim> {
    for (let tries = 0; ; tries += 1) {
      const attempt = randomUUID();
      try {
        await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: deliveryKey(key),
            UpdateExpression:
              'SET #state = :sending, attempt = :attempt, leaseUntil = :leaseUntil, claimedAt = :now, #expiry = :expiry ADD attempts :one',
            ConditionExpression:
              'attribute_not_exists(#state) OR #state = :failed OR (#state = :sending AND leaseUntil <= :now)',
            ExpressionAttributeNames: { '#state': 'state', '#expiry': expiryAttribute },
            ExpressionAttributeValues: {
              ':sending': 'sending',
              ':failed': 'failed',
              ':attempt': attempt,
              ':leaseUntil': leaseUntil.toISOString(),
              ':now': now.toISOString(),
              ':one': 1,
              ':expiry': expiryOf(now),
            },
          }),
        );
        return { kind: 'claimed', attempt };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const record = await this.read(key);
      if (record?.state === 'sent') return { kind: 'sent' };
      if (
        record?.state === 'sending' &&
        record.leaseUntil &&
        record.leaseUntil > now.toISOString()
      ) {
        return { kind: 'sending', leaseUntil: new Date(record.leaseUntil) };
      }
      // Failed or expired since the write: claim again; after a few races, try later.
      if (tries >= 2) return { kind: 'sending', leaseUntil: now };
    }
  }

  async markSent(key: string, attempt: string, now: Date): Promise<void> {
    // Unconditional: whoever sent, it went out, and a later claim must see so.
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: deliveryKey(key),
        UpdateExpression:
          'SET #state = :sent, attempt = :attempt, sentAt = :now, #expiry = :expiry REMOVE leaseUntil',
        ExpressionAttributeNames: { '#state': 'state', '#expiry': expiryAttribute },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':attempt': attempt,
          ':now': now.toISOString(),
          ':expiry': expiryOf(now),
        },
      }),
    );
  }

  async markFailed(key: string, attempt: string, now: Date): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(key),
          UpdateExpression:
            'SET #state = :failed, failedAt = :now, #expiry = :expiry REMOVE leaseUntil',
          // Only its own claim: a later attempt's claim, or a send, stays.
          ConditionExpression: '#state = :sending AND attempt = :attempt',
          ExpressionAttributeNames: { '#state': 'state', '#expiry': expiryAttribute },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':failed': 'failed',
            ':attempt': attempt,
            ':now': now.toISOString(),
            ':expiry': expiryOf(now),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async read(key: string): Promise<DeliveryRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: deliveryKey(key), ConsistentRead: true }),
    );
    return Item as DeliveryRecord | undefined;
  }
}
