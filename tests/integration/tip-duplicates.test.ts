import { tipIdFor } from '@qingling/shared/tips/keys.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#functions/dependencies.ts';
import { Api } from '../support/authorization-fixtures.ts';
import { startTestCloud } from '../support/embedded-cloud.ts';
import { validTip } from '../support/tips.ts';

/**
 * Possible duplicates come from the index, across all tips of the jurisdiction (issue 14):
 * a tip naming the same enterprise is found though 500 tips came in between, far beyond
 * the inbox's first page (where the console used to look), and a tip of another
 * jurisdiction naming it is not.
 */

const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
const officer = { role: 'officer', jurisdiction: own } as const;
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let api: Api;
let first = '';
let later = '';
let elsewhere = '';

/** Posts a tip as a tipster does; its id, from the receipt as the server makes it. */
const post = async (body: Record<string, unknown>): Promise<string> => {
  const { receipt } = (await api.must('POST', '/api/tips', { body: validTip(body) })).body;
  return tipIdFor(await dependencies.receiptKeys().receiptKey(), receipt);
};

beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 1_000_000 });
  api = new Api(cloud.url);
  first = await post({
    jurisdiction: own,
    enterprise: '清水加油站',
    address: '葛城大道 1 号',
    description: '加油站卸油区旁边有人吸烟，灭火器过期。',
  });
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        post({
          jurisdiction: own,
          enterprise: `第${batch * 50 + index}号商店`,
          address: `幸福路 ${batch * 50 + index} 号`,
        }),
      ),
    );
  }
  elsewhere = await post({
    jurisdiction: other,
    enterprise: '清水加油站',
    address: '翔安大道 1 号',
  });
  // The same name, written otherwise: spaces and punctuation.
  later = await post({
    jurisdiction: own,
    enterprise: ' 清水 加油站。',
    address: '葛城大道 99 号',
    description: '油罐车卸油时没有人看管，旁边还有人打电话。',
  });
}, 300_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

describe('possible duplicates of a tip', () => {
  it('finds a tip of the same enterprise 500 tips back, beyond the inbox’s first page', async () => {
    const page = await api.must('GET', `/api/office/tips?jurisdiction=${own}&status=received`, {
      as: officer,
    });
    const listed = page.body.tips.map((tip: { tipId: string }) => tip.tipId);
    expect(listed).toContain(later);
    expect(listed).not.toContain(first);

    const reply = await api.must('GET', `/api/office/tips/${later}/possible-duplicates`, {
      as: officer,
    });
    expect(reply.body.possibleDuplicates).toEqual([
      {
        tip: expect.objectContaining({ tipId: first, enterprise: '清水加油站' }),
        reasons: ['enterprise'],
      },
    ]);
  });

  it('finds the later tip from the earlier one, and none of another jurisdiction', async () => {
    const reply = await api.must('GET', `/api/office/tips/${first}/possible-duplicates`, {
      as: officer,
    });
    const found = reply.body.possibleDuplicates.map(
      (entry: { tip: { tipId: string } }) => entry.tip.tipId,
    );
    expect(found).toEqual([later]);
    expect(found).not.toContain(elsewhere);
  });

  it('is refused to another jurisdiction’s officer as if the tip were unknown', async () => {
    const reply = await api.call('GET', `/api/office/tips/${later}/possible-duplicates`, {
      as: { role: 'officer', jurisdiction: other },
    });
    expect(reply.status).toBe(404);
  });
});
