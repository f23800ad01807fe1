import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GuessingGuard } from '../../ports/guessing-guard.ts';

/** One counter item per minute (an atomic ADD); old minutes are swept with retention. */
export class DynamoGuessingGuard implements GuessingGuard {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly failuresPerMinute: number;

  constructor(documents: DynamoDBDocumentClient, tableName: string, failuresPerMinute = 30) {
    this.documents = documents;
    this.tableName = tableName;
    this.failuresPerMinute = failuresPerMinute;
  }

  async recordFailure(now: Date): Promise<{ overBudget: boolean; retryAfterSeconds: number }> {
    const minute = now.toISOString().slice(0, 16);
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: 'LOOKUP_FAILURES', sk: minute },
        UpdateExpression: 'ADD failures :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return {
      overBudget: Number(Attributes?.failures ?? 0) > this.failuresPerMinute,
      retryAfterSeconds: secondsToNextMinute(now),
    };
  }
}

/** Whole seconds (rounded up, 1 to 60) until the next UTC minute: the budget's next window. */
export function secondsToNextMinute(now: Date): number {
  const left = 60_000 - (now.getTime() % 60_000);
  return Math.min(60, Math.max(1, Math.ceil(left / 1000)));
}
