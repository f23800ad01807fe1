import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import {
  DynamoDeliveryLedger,
  deliveryKey,
} from '@qingling/shared/adapters/dynamodb/delivery-ledger.ts';
import { expiryAttribute } from '@qingling/shared/adapters/dynamodb/expiry.ts';
import {
  counterKeptAfterWindowMs,
  DynamoGuessingGuard,
  spentProofKeptAfterExpiryMs,
} from '@qingling/shared/adapters/dynamodb/guessing-guard.ts';
import { deliveryRecordKeptMs } from '@qingling/shared/ports/delivery-ledger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '#local/dynamodb.ts';
import { temporaryDataDirectory } from '../support/embedded-cloud.ts';

// The bookkeeping items' expiry as dynalite (the embedded cloud's DynamoDB) stores it: a
// Number attribute, written by the same expressions as on AWS, where Time to Live reads it.
let dynamo: LocalDynamo;
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;

beforeAll(async () => {
  data = await temporaryDataDirectory();
  dynamo = await startLocalDynamo({ path: data.path, tableName: 'records' });
});
afterAll(async () => {
  await dynamo.stop();
  await data.remove();
});

/** The raw expiry attribute of an item: its DynamoDB type and value. */
async function expiryOf(key: { pk: string; sk: string }) {
  const { Item } = await dynamo.client.send(
    new GetItemCommand({
      TableName: 'records',
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      ConsistentRead: true,
    }),
  );
  return Item?.[expiryAttribute];
}

const seconds = (ms: number) => String(Math.ceil(ms / 1000));

describe('expiry of bookkeeping items on dynalite', () => {
  it("sets the look-up counter's and the spent puzzle's expiry as Numbers", async () => {
    const guard = new DynamoGuessingGuard(createDocumentClient(dynamo.client), 'records');
    const now = new Date('2026-12-01T02:00:30.000Z');
    await guard.recordFailure(now, 'open');
    await guard.recordFailure(now, 'proven');
    const counterExpiry = {
      N: seconds(Date.parse('2026-12-01T02:01:00.000Z') + counterKeptAfterWindowMs),
    };
    expect(await expiryOf({ pk: 'LOOKUP_FAILURES', sk: '2026-12-01T02:00' })).toEqual(
      counterExpiry,
    );
    // Counting still works with the expiry beside it.
    expect((await guard.recordFailure(now, 'open')).overBudget).toBe(false);
    expect((await guard.standing(now)).open).toBe(true);

    const expiresAt = new Date('2026-12-01T02:10:00.000Z');
    expect(await guard.spendProof('nonce-1', expiresAt)).toBe(true);
    expect(await guard.spendProof('nonce-1', expiresAt)).toBe(false);
    expect(await expiryOf({ pk: 'LOOKUP_FAILURES', sk: 'proof#nonce-1' })).toEqual({
      N: seconds(expiresAt.getTime() + spentProofKeptAfterExpiryMs),
    });
  });

  it("pushes a delivery record's expiry with every write", async () => {
    const ledger = new DynamoDeliveryLedger(createDocumentClient(dynamo.client), 'records');
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 2, minute));
    const keptFrom = (minute: number) => ({
      N: seconds(at(minute).getTime() + deliveryRecordKeptMs),
    });
    const claim = await ledger.claim('k1', at(0), at(2));
    if (claim.kind !== 'claimed') throw new Error(claim.kind);
    expect(await expiryOf(deliveryKey('k1'))).toEqual(keptFrom(0));
    await ledger.markFailed('k1', claim.attempt, at(1));
    expect(await expiryOf(deliveryKey('k1'))).toEqual(keptFrom(1));
    const again = await ledger.claim('k1', at(3), at(5));
    if (again.kind !== 'claimed') throw new Error(again.kind);
    await ledger.markSent('k1', again.attempt, at(4));
    expect(await expiryOf(deliveryKey('k1'))).toEqual(keptFrom(4));
    expect(await ledger.claim('k1', at(6), at(8))).toEqual({ kind: 'sent' });
  });
});
