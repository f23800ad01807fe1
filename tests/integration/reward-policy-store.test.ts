import { join } from 'node:path';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoPolicyStore } from '@qingling/shared/adapters/dynamodb/policy-store.ts';
import { CachedPolicies } from '@qingling/shared/policies/policy-source.ts';
import {
  nationalRewardPolicy,
  shandongRewardPolicy,
} from '@qingling/shared/rewards/reward-policy.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '#local/dynamodb.ts';
import { temporaryDataDirectory } from '../support/embedded-cloud.ts';

// Reward policies are stored as the other policies are: per jurisdiction, versioned, every
// edit conditional on the version the editor saw; the national rule where none is stored.
let dynamo: LocalDynamo;
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let store: DynamoPolicyStore;

beforeAll(async () => {
  data = await temporaryDataDirectory();
  dynamo = await startLocalDynamo({ path: join(data.path, 'db'), tableName: 'records' });
  store = new DynamoPolicyStore(createDocumentClient(dynamo.client), 'records');
});
afterAll(async () => {
  await dynamo.stop();
  await data.remove();
});

const by = { userId: 'demo:cq-gecheng.administrator', name: '金鑫' };
const { version: _version, ...shandong } = shandongRewardPolicy;

describe('reward policies in the policy store', () => {
  it('are the national rule until one is stored, then the stored one, versioned', async () => {
    const policies = new CachedPolicies({ read: () => store.read(), maxAgeMs: 0 });
    expect(await policies.rewardPolicy('cq-gecheng')).toBe(nationalRewardPolicy);

    const first = await store.putRewardPolicy('cq-gecheng', shandong, {
      at: '2026-11-01T00:00:00.000Z',
      by,
      expectedVersion: 0,
    });
    expect(first).toMatchObject({ jurisdiction: 'cq-gecheng', version: 1 });
    const inForce = await policies.rewardPolicy('cq-gecheng');
    expect(inForce.version).toBe('cq-gecheng-1');
    expect(inForce.majorHazard).toEqual({ percent: 50, minYuan: 5_000, maxYuan: 500_000 });
    expect(inForce.generalHazard).toEqual({ percent: 50, minYuan: 500, maxYuan: 5_000 });
    // Another jurisdiction keeps the national rule.
    expect(await policies.rewardPolicy('nm-demo')).toBe(nationalRewardPolicy);
  });

  it('refuses an edit made on a version that has changed meanwhile', async () => {
    const stale = await store.putRewardPolicy('cq-gecheng', shandong, {
      at: '2026-11-02T00:00:00.000Z',
      by,
      expectedVersion: 0,
    });
    expect(stale).toBe('conflict');
    const next = await store.putRewardPolicy(
      'cq-gecheng',
      { ...shandong, noticeDays: 15 },
      { at: '2026-11-02T00:00:00.000Z', by, expectedVersion: 1 },
    );
    expect(next).toMatchObject({ version: 2, noticeDays: 15 });
    const stored = (await store.read()).rewardPolicies ?? [];
    expect(stored.map((policy) => [policy.jurisdiction, policy.version])).toEqual([
      ['cq-gecheng', 2],
    ]);
  });
});
