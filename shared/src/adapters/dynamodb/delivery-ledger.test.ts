import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deliveryRecordKeptMs } from '../../ports/delivery-ledger.ts';
import { createDocumentClient } from './client.ts';
import { DynamoDeliveryLedger } from './delivery-ledger.ts';
import { expiryAttribute } from './expiry.ts';

const documents = mockClient(DynamoDBDocumentClient);
const ledger = new DynamoDeliveryLedger(createDocumentClient(), 'records');
const key = 'H1#1#summons#leader_in_charge';
const now = new Date('2026-12-01T02:00:00.000Z');
const leaseUntil = new Date('2026-12-01T02:02:00.000Z');
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => documents.reset());

describe('DynamoDeliveryLedger', () => {
  it('claims a key in its own partition, if absent, failed or sending under a lease that has run out', async () => {
    documents.on(UpdateCommand).resolves({});
    const claim = await ledger.claim(key, now, leaseUntil);
    expect(claim).toEqual({ kind: 'claimed', attempt: expect.any(String) });
    const input = documents.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: 'records',
      Key: { pk: `DELIVERY#${key}`, sk: 'DELIVERY' },
      ConditionExpression:
        'attribute_not_exists(#state) OR #state = :failed OR (#state = :sending AND leaseUntil <= :now)',
      ExpressionAttributeValues: {
        ':sending': 'sending',
        ':leaseUntil': '2026-12-01T02:02:00.000Z',
        ':now': '2026-12-01T02:00:00.000Z',
        ':attempt': claim.kind === 'claimed' ? claim.attempt : '',
      },
    });
  });

  it('answers sent for a key sent before, reading it consistently', async () => {
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({ Item: { state: 'sent', attempt: 'a1' } });
    expect(await ledger.claim(key, now, leaseUntil)).toEqual({ kind: 'sent' });
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: `DELIVERY#${key}`, sk: 'DELIVERY' },
      ConsistentRead: true,
    });
  });

  it('answers sending, with the lease, for a key another attempt holds', async () => {
    documents.on(UpdateCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({
      Item: { state: 'sending', attempt: 'a1', leaseUntil: '2026-12-01T02:01:00.000Z' },
    });
    expect(await ledger.claim(key, now, leaseUntil)).toEqual({
      kind: 'sending',
      leaseUntil: new Date('2026-12-01T02:01:00.000Z'),
    });
  });

  it('claims again when the item changed between the write and the read', async () => {
    documents.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    documents.on(GetCommand).resolves({ Item: { state: 'failed', attempt: 'a1' } });
    expect((await ledger.claim(key, now, leaseUntil)).kind).toBe('claimed');
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('passes on errors other than a lost condition', async () => {
    const throttled = new Error('slow down');
    throttled.name = 'ProvisionedThroughputExceededException';
    documents.on(UpdateCommand).rejects(throttled);
    await expect(ledger.claim(key, now, leaseUntil)).rejects.toThrow('slow down');
    expect(documents.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('marks sent unconditionally, and failed only while its own claim stands', async () => {
    documents.on(UpdateCommand).resolves({});
    await ledger.markSent(key, 'a1', now);
    expect(documents.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression:
        'SET #state = :sent, attempt = :attempt, sentAt = :now, #expiry = :expiry REMOVE leaseUntil',
    });
    expect(documents.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).toBe(
      undefined,
    );
    documents.reset();
    // A later attempt has claimed the key: its claim stays, and that is no error.
    documents.on(UpdateCommand).rejects(conditionFailed());
    await ledger.markFailed(key, 'a1', now);
    expect(documents.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: '#state = :sending AND attempt = :attempt',
      ExpressionAttributeValues: { ':attempt': 'a1' },
    });
  });

  describe('expiry (DynamoDB Time to Live)', () => {
    // 15 days after the write: longer than SQS keeps any message (at most 14 days), so a
    // redelivered message still finds its key sent.
    const expiry = Date.parse('2026-12-16T02:00:00.000Z') / 1000;

    it('keeps a record at least 15 days, longer than a queue keeps a message', () => {
      expect(deliveryRecordKeptMs).toBe(15 * 24 * 3600 * 1000);
      expect(deliveryRecordKeptMs).toBeGreaterThan(14 * 24 * 3600 * 1000);
    });

    it.each([
      ['claim', () => ledger.claim(key, now, leaseUntil)],
      ['markSent', () => ledger.markSent(key, 'a1', now)],
      ['markFailed', () => ledger.markFailed(key, 'a1', now)],
    ])('%s pushes the expiry to 15 days after the time it is given', async (_name, write) => {
      documents.on(UpdateCommand).resolves({});
      await write();
      const input = documents.commandCalls(UpdateCommand)[0]?.args[0].input;
      expect(input?.UpdateExpression).toContain('#expiry = :expiry');
      expect(input?.ExpressionAttributeNames).toMatchObject({ '#expiry': expiryAttribute });
      expect(input?.ExpressionAttributeValues?.[':expiry']).toBe(expiry);
    });
  });
});
