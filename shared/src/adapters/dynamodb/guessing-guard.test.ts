import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from './client.ts';
import { expiryAttribute } from './expiry.ts';
import {
  counterKeptAfterWindowMs,
  DynamoGuessingGuard,
  spentProofKeptAfterExpiryMs,
} from './guessing-guard.ts';

const documents = mockClient(DynamoDBDocumentClient);
const guard = new DynamoGuessingGuard(createDocumentClient(), 'records');
const epochSeconds = (iso: string) => Date.parse(iso) / 1000;

beforeEach(() => documents.reset());

describe('DynamoGuessingGuard: its items expire (DynamoDB Time to Live)', () => {
  it("counts a failure in the minute's item, set to expire a few minutes after the minute", async () => {
    documents.on(UpdateCommand).resolves({ Attributes: { failures: 1 } });
    await guard.recordFailure(new Date('2026-12-01T02:00:30.250Z'), 'open');
    const input = documents.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Key: { pk: 'LOOKUP_FAILURES', sk: '2026-12-01T02:00' },
      UpdateExpression: 'ADD #counter :one SET #expiry = :expiry',
      ExpressionAttributeNames: { '#counter': 'failures', '#expiry': expiryAttribute },
    });
    // The window ends at 02:01:00; the item goes no sooner than a few minutes after.
    const expiry = input?.ExpressionAttributeValues?.[':expiry'];
    expect(expiry).toBe(epochSeconds('2026-12-01T02:01:00.000Z') + counterKeptAfterWindowMs / 1000);
    expect(counterKeptAfterWindowMs).toBeGreaterThanOrEqual(60_000);
    expect(counterKeptAfterWindowMs).toBeLessThanOrEqual(60 * 60_000);
  });

  it('sets the same expiry for the proven tier, from the clock it is given', async () => {
    documents.on(UpdateCommand).resolves({ Attributes: { provenFailures: 1 } });
    await guard.recordFailure(new Date('2031-05-06T23:59:59.999Z'), 'proven');
    const input = documents.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ExpressionAttributeNames).toMatchObject({ '#counter': 'provenFailures' });
    expect(input?.ExpressionAttributeValues?.[':expiry']).toBe(
      epochSeconds('2031-05-07T00:00:00.000Z') + counterKeptAfterWindowMs / 1000,
    );
  });

  it('keeps a spent puzzle past its own expiry, then lets it go', async () => {
    documents.on(PutCommand).resolves({});
    const expiresAt = new Date('2026-12-01T02:10:00.500Z');
    expect(await guard.spendProof('nonce-1', expiresAt)).toBe(true);
    const input = documents.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Item: { pk: 'LOOKUP_FAILURES', sk: 'proof#nonce-1' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    // Whole seconds, rounded up: never before the puzzle itself has expired.
    expect(input?.Item?.[expiryAttribute]).toBe(
      Math.ceil(expiresAt.getTime() / 1000) + spentProofKeptAfterExpiryMs / 1000,
    );
    expect(spentProofKeptAfterExpiryMs).toBeGreaterThanOrEqual(60_000);
  });

  it('still refuses a puzzle spent before', async () => {
    documents
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await guard.spendProof('nonce-1', new Date('2026-12-01T02:10:00.000Z'))).toBe(false);
  });

  it('writes the expiry as a number of epoch seconds (Time to Live ignores anything else)', async () => {
    documents.on(UpdateCommand).resolves({});
    documents.on(PutCommand).resolves({});
    await guard.recordFailure(new Date('2026-12-01T02:00:30.000Z'), 'open');
    await guard.spendProof('nonce-2', new Date('2026-12-01T02:10:00.000Z'));
    const counter = documents.commandCalls(UpdateCommand)[0]?.args[0].input;
    const proof = documents.commandCalls(PutCommand)[0]?.args[0].input;
    for (const value of [
      counter?.ExpressionAttributeValues?.[':expiry'],
      proof?.Item?.[expiryAttribute],
    ]) {
      expect(Number.isInteger(value)).toBe(true);
      // Seconds, not milliseconds: within this century.
      expect(value).toBeLessThan(4_102_444_800);
    }
  });
});
