import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type GuessingGuard,
  type LookupStanding,
  type LookupTier,
  openFailuresPerMinute,
  provenFailuresPerMinute,
} from '../../ports/guessing-guard.ts';
import { epochSeconds, expiryAttribute } from './expiry.ts';

const partition = 'LOOKUP_FAILURES';

/**
 * How long a minute's counter item is kept after its minute has ended, at least: it is
 * read and counted only during its minute, so a few minutes cover any clock difference
 * between instances. Then DynamoDB Time to Live deletes it (expiry.ts).
 */
export const counterKeptAfterWindowMs = 5 * 60_000;

/**
 * How long a spent puzzle's item is kept after the puzzle itself expires, at least: past
 * its expiry the puzzle is refused anyway (checkProof), the hour covers clocks that
 * disagree. Then DynamoDB Time to Live deletes it (expiry.ts).
 */
export const spentProofKeptAfterExpiryMs = 60 * 60_000;

/**
 * One counter item per minute (an atomic ADD per tier), and one item per spent puzzle, all
 * in the guard's own partition (the only one the look-up routes may write besides tips).
 * Each item carries its expiry (expiry.ts), from the time it is given: the minute's end
 * plus counterKeptAfterWindowMs, the puzzle's expiry plus spentProofKeptAfterExpiryMs.
 */
export class DynamoGuessingGuard implements GuessingGuard {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly budgets: Record<LookupTier, number>;

  constructor(
    documents: DynamoDBDocumentClient,
    tableName: string,
    budgets: Record<LookupTier, number> = {
      open: openFailuresPerMinute,
      proven: provenFailuresPerMinute,
    },
  ) {
    this.documents = documents;
    this.tableName = tableName;
    this.budgets = budgets;
  }

  async standing(now: Date): Promise<LookupStanding> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: partition, sk: minuteOf(now) },
        ConsistentRead: true,
      }),
    );
    return {
      open: Number(Item?.failures ?? 0) < this.budgets.open,
      proven: Number(Item?.provenFailures ?? 0) < this.budgets.proven,
      retryAfterSeconds: secondsToNextMinute(now),
    };
  }

  async recordFailure(
    now: Date,
    tier: LookupTier,
  ): Promise<{ overBudget: boolean; retryAfterSeconds: number }> {
    const counter = tier === 'open' ? 'failures' : 'provenFailures';
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: partition, sk: minuteOf(now) },
        UpdateExpression: 'ADD #counter :one SET #expiry = :expiry',
        ExpressionAttributeNames: { '#counter': counter, '#expiry': expiryAttribute },
        ExpressionAttributeValues: {
          ':one': 1,
          ':expiry': epochSeconds(new Date(windowEndOf(now) + counterKeptAfterWindowMs)),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return {
      overBudget: Number(Attributes?.[counter] ?? 0) > this.budgets[tier],
      retryAfterSeconds: secondsToNextMinute(now),
    };
  }

  async spendProof(id: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: partition,
            sk: `proof#${id}`,
            expiresAt: expiresAt.toISOString(),
            [expiryAttribute]: epochSeconds(
              new Date(expiresAt.getTime() + spentProofKeptAfterExpiryMs),
            ),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

const minuteOf = (now: Date) => now.toISOString().slice(0, 16);

/** The end of the UTC minute `now` is in, in epoch milliseconds. */
const windowEndOf = (now: Date) => now.getTime() - (now.getTime() % 60_000) + 60_000;

/** Whole seconds (rounded up, 1 to 60) until the next UTC minute: the budget's next window. */
export function secondsToNextMinute(now: Date): number {
  const left = 60_000 - (now.getTime() % 60_000);
  return Math.min(60, Math.max(1, Math.ceil(left / 1000)));
}
