import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoDeliveryLedger } from '@qingling/shared/adapters/dynamodb/delivery-ledger.ts';
import { MemoryDeliveryLedger } from '@qingling/shared/adapters/local/memory-delivery-ledger.ts';
import type { DeliveryClaim, DeliveryLedger } from '@qingling/shared/ports/delivery-ledger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '#local/dynamodb.ts';
import { temporaryDataDirectory } from '../support/embedded-cloud.ts';

// The delivery ledger's condition expressions against dynalite, the embedded cloud's
// DynamoDB, and the memory ledger the unit tests use held to the same cases.
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

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 2, minute));
const attemptOf = (claim: DeliveryClaim) => {
  if (claim.kind !== 'claimed') throw new Error(`not claimed: ${claim.kind}`);
  return claim.attempt;
};

const ledgers: [string, () => DeliveryLedger][] = [
  [
    'DynamoDeliveryLedger on dynalite',
    () => new DynamoDeliveryLedger(createDocumentClient(dynamo.client), 'records'),
  ],
  ['MemoryDeliveryLedger', () => new MemoryDeliveryLedger()],
];

describe.each(ledgers)('%s', (_name, make) => {
  let n = 0;
  const freshKey = () => {
    n += 1;
    return `H${n}#1#summons#leader_in_charge`;
  };

  it('claims a new key once; a sent key is sent', async () => {
    const ledger = make();
    const key = freshKey();
    const first = attemptOf(await ledger.claim(key, at(0), at(2)));
    expect(await ledger.claim(key, at(1), at(3))).toEqual({ kind: 'sending', leaseUntil: at(2) });
    await ledger.markSent(key, first, at(1));
    expect(await ledger.claim(key, at(1), at(3))).toEqual({ kind: 'sent' });
    // However long after.
    expect(await ledger.claim(key, at(59), at(61))).toEqual({ kind: 'sent' });
  });

  it('lets one of two concurrent claims of a key win', async () => {
    const ledger = make();
    const key = freshKey();
    const claims = await Promise.all([
      ledger.claim(key, at(0), at(2)),
      ledger.claim(key, at(0), at(2)),
    ]);
    expect(claims.map((claim) => claim.kind).sort()).toEqual(['claimed', 'sending']);
  });

  it('frees a failed key at once, and a claim whose lease has run out', async () => {
    const ledger = make();
    const key = freshKey();
    await ledger.markFailed(key, attemptOf(await ledger.claim(key, at(0), at(2))), at(0));
    const second = attemptOf(await ledger.claim(key, at(0), at(2)));
    // The second attempt dies: at the end of its lease the key is claimed again.
    expect((await ledger.claim(key, at(1), at(3))).kind).toBe('sending');
    const third = attemptOf(await ledger.claim(key, at(2), at(4)));
    // The dead attempt's late word does not free the third's claim.
    await ledger.markFailed(key, second, at(2));
    expect(await ledger.claim(key, at(3), at(5))).toEqual({ kind: 'sending', leaseUntil: at(4) });
    // Nor undo a send.
    await ledger.markSent(key, third, at(3));
    await ledger.markFailed(key, third, at(3));
    expect(await ledger.claim(key, at(5), at(7))).toEqual({ kind: 'sent' });
  });
});
