import { randomUUID } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import type { RouteDefinition } from '@qingling/shared/api/route-definition.ts';
import { routes } from '@qingling/shared/api/routes.ts';
import { verifyChain } from '@qingling/shared/event-log/event-log.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableName } from '#local/embedded-cloud.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, stepsToAReward, validTip } from '../support/tips.ts';

// Issue 16, the claim, over HTTP on the embedded cloud with an injected clock: the reward
// computed and approved through their own routes, the tipster claims with the receipt
// alone, the reward officer pays; a claim after the deadline is refused and the lapse kept.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
const tokens: Record<string, string> = {};
const clock = new ManualClock('2026-11-24T02:00:00.000Z');
const dayMs = 24 * 3600 * 1000;
/** Tokens expire by the injected clock: signed in again after it moves. */
async function signInAll() {
  for (const who of ['officer', 'reward_officer', 'reward_officer_2']) {
    tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
  }
}
async function moveClockTo(instant: Date) {
  clock.set(instant);
  await signInAll();
}
beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 100_000, clock });
  await signInAll();
});
afterAll(async () => {
  await cloud.stop();
  await cloud.removeData();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const phone = '13812345678';
const bank = {
  accountName: '王小明',
  bankName: '中国工商银行重庆分行',
  accountNumber: '6222 0202 0011 2233 445',
};

async function readTip(tipId: string, who = 'officer'): Promise<ReplyBody> {
  const reply = await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth(who) });
  expect(reply.status).toBe(200);
  return reply.json();
}

async function command(tipId: string, who: string, body: Record<string, unknown>) {
  const { revision } = await readTip(tipId, who);
  return postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: revision, command: body },
    auth(who),
  );
}

async function rewardRoute(tipId: string, who: string, action: 'compute' | 'approve') {
  const { revision } = await readTip(tipId, who);
  return postJson(
    `${cloud.url}/api/office/tips/${tipId}/reward/${action}`,
    { idempotencyKey: randomUUID(), expectedRevision: revision },
    auth(who),
  );
}

const rewardDesk = async (who: string) => {
  const reply = await fetch(`${cloud.url}/api/office/reward-desk?jurisdiction=cq-gecheng`, {
    headers: auth(who),
  });
  expect(reply.status).toBe(200);
  return reply.json() as Promise<ReplyBody>;
};
const onDesk = (list: { items: { tipId: string }[] }, tipId: string) =>
  list.items.filter((item) => item.tipId === tipId);

const lookup = async (receipt: string) => postJson(`${cloud.url}/api/tips/lookup`, { receipt });
const claim = (receipt: string, body: Record<string, unknown>) =>
  postJson(`${cloud.url}/api/tips/reward-claims`, {
    receipt,
    idempotencyKey: randomUUID(),
    ...body,
  });

/**
 * A tip that wants a reward (phone, shared position, a message from the tipster), verified,
 * fined 80,000 yuan; the reward computed by one reward officer and approved by another
 * through computeReward and approveReward.
 */
async function approvedReward(marker: string): Promise<{ tipId: string; receipt: string }> {
  clock.advance(1000);
  // The tipster's own words say who they are: no one but the case officers may read them.
  const description = `仓库安全出口被货物堵死，疏散通道不畅（我在三号库上夜班） ${marker}`;
  const created = await postJson(
    `${cloud.url}/api/tips`,
    validTip({
      description,
      wantsReward: true,
      contactPhone: phone,
      isEmployee: true,
      location: { latitude: 29.5647, longitude: 106.5501, datum: 'WGS84' },
    }),
  );
  expect(created.status).toBe(201);
  const receipt: string = created.body.receipt;
  const said = await postJson(`${cloud.url}/api/tips/messages`, {
    receipt,
    idempotencyKey: randomUUID(),
    text: '我是三号库的夜班保管员，晚上八点后最严重。',
  });
  expect(said.status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth('officer'),
  });
  const page = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tipId = page.tips.find((entry) => entry.excerpt.includes(marker))?.tipId;
  if (!tipId) throw new Error(`tip ${marker} not in the inbox`);
  for (const step of stepsToAReward) {
    expect((await command(tipId, 'officer', step)).status).toBe(200);
  }
  expect((await rewardRoute(tipId, 'reward_officer', 'compute')).status).toBe(200);
  const approved = await rewardRoute(tipId, 'reward_officer_2', 'approve');
  expect(approved.status).toBe(200);
  return { tipId, receipt };
}

describe('the tipster claims the reward with the receipt alone', () => {
  it('sees the reward and its deadline, claims in person, and the reward officer pays on the code', async () => {
    const { tipId, receipt } = await approvedReward('C1');
    const seen = await lookup(receipt);
    expect(seen.status).toBe(200);
    expect(seen.body.reward).toMatchObject({
      amountFen: 1_200_000,
      standing: 'open',
      figures: { zh: '罚款 80,000 元 × 15% = 12,000 元，不低于 3,000 元，不高于 300,000 元' },
      claimBy: '2027-01-23T16:00:00.000Z', // approved 24 Nov (CST), + 60 days, 24:00 CST
    });
    expect(JSON.stringify(seen.body)).not.toContain('reward_officer'); // no officer named

    const key = randomUUID();
    const first = await postJson(`${cloud.url}/api/tips/reward-claims`, {
      receipt,
      idempotencyKey: key,
      method: 'in_person',
    });
    expect(first.status).toBe(201);
    expect(first.body.claimCode).toMatch(/^\d{5}-\d{5}$/);
    expect(first.body.reward).toMatchObject({ standing: 'claimed', method: 'in_person' });
    const retry = await postJson(`${cloud.url}/api/tips/reward-claims`, {
      receipt,
      idempotencyKey: key,
      method: 'in_person',
    });
    expect(retry.status).toBe(200);
    expect(retry.body.claimCode).toBe(first.body.claimCode);
    const second = await claim(receipt, { method: 'in_person' });
    expect(second.status).toBe(422);
    expect(JSON.stringify(second.body)).toContain('不能重复申领');
    expect(JSON.stringify(second.body)).toContain('cannot be claimed twice');

    // The reward officer's view: the claim, nothing else about the tipster.
    const view = await readTip(tipId, 'reward_officer');
    const text = JSON.stringify(view);
    expect(view.reward).toMatchObject({
      standing: 'claimed',
      claim: { method: 'in_person', hasBankDetails: false },
    });
    expect(view.messages).toEqual([]);
    expect(view.location).toBeUndefined();
    expect(view.isEmployee).toBeUndefined();
    expect(view.description).toBeUndefined();
    expect(view.excerpt).toBeUndefined();
    for (const secret of [
      phone,
      '夜班保管员',
      '三号库上夜班',
      '29.5647',
      first.body.claimCode,
      first.body.claimCode.replace('-', ''),
      receipt,
      'claimCodeHash',
      'contactSealed',
    ]) {
      expect(text).not.toContain(secret);
    }
    // An officer still reads the whole tip.
    expect((await readTip(tipId)).messages).toHaveLength(1);

    // The reward officer's desk lists the claim to pay, linked by the tip's id: the
    // method, amount and times, nothing that names the tipster.
    const desk = await rewardDesk('reward_officer');
    expect(onDesk(desk.claimsToPay, tipId)).toEqual([
      {
        tipId,
        receivedAt: view.receivedAt,
        address: view.address,
        amountFen: 1_200_000,
        claimMethod: 'in_person',
        claimedAt: view.reward.claim.claimedAt,
        claimBy: '2027-01-23T16:00:00.000Z',
      },
    ]);
    expect(onDesk(desk.toApprove, tipId)).toEqual([]);
    expect(onDesk(desk.deadlineNear, tipId)).toEqual([]);
    const deskText = JSON.stringify(desk);
    for (const secret of [phone, first.body.claimCode, receipt, 'claimCodeHash', 'Sealed']) {
      expect(deskText).not.toContain(secret);
    }

    await moveClockTo(new Date(clock.now().getTime() + 2 * dayMs));
    const paidOn = '2026-11-26';
    const wrong = await command(tipId, 'reward_officer', {
      type: 'record_payment',
      paidOn,
      voucherNumber: '记-2026-1126',
      claimCode: '00000-00000',
    });
    expect(wrong.status).toBe(422);
    expect(JSON.stringify(wrong.body)).toContain('领奖码不符');
    const paid = await command(tipId, 'reward_officer', {
      type: 'record_payment',
      paidOn,
      voucherNumber: '记-2026-1126',
      claimCode: first.body.claimCode,
    });
    expect(paid.status).toBe(200);
    expect(paid.body.reward.payment).toMatchObject({
      paidOn,
      voucherNumber: '记-2026-1126',
      recordedBy: 'demo:cq-gecheng.reward_officer',
    });
    expect((await lookup(receipt)).body.reward).toMatchObject({ standing: 'paid', paidOn });
    // Paid: off the desk.
    expect(onDesk((await rewardDesk('reward_officer_2')).claimsToPay, tipId)).toEqual([]);
  });

  it('by bank transfer: the account sealed; each opening by a reward officer is on the tip', async () => {
    const { tipId, receipt } = await approvedReward('C2');
    const bad = await claim(receipt, {
      method: 'bank_transfer',
      bank: { ...bank, accountNumber: '12' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('银行账号应为 12 至 30 位数字');
    expect((await lookup(receipt)).body.reward.standing).toBe('open');

    const claimed = await claim(receipt, { method: 'bank_transfer', bank });
    expect(claimed.status).toBe(201);
    expect(claimed.body.claimCode).toBeUndefined();
    const officerView = JSON.stringify(await readTip(tipId));
    expect(officerView).not.toContain('6222020200112233445');
    expect(officerView).not.toContain('王小明');

    const opened = await postJson(
      `${cloud.url}/api/office/tips/${tipId}/reward/payment-details`,
      { idempotencyKey: randomUUID() },
      auth('reward_officer'),
    );
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({ ...bank, accountNumber: '6222020200112233445' });
    expect((await readTip(tipId, 'reward_officer')).reward.detailsOpened).toEqual([
      expect.objectContaining({ by: 'demo:cq-gecheng.reward_officer' }),
    ]);
    const refusedToOfficer = await postJson(
      `${cloud.url}/api/office/tips/${tipId}/reward/payment-details`,
      { idempotencyKey: randomUUID() },
      auth('officer'),
    );
    expect(refusedToOfficer.status).toBe(403);
  });

  it('no office role reads, on any route it may read, what identifies the tipster', async () => {
    const inPerson = await approvedReward('C5');
    const { claimCode } = (await claim(inPerson.receipt, { method: 'in_person' })).body;
    const byBank = await approvedReward('C6');
    expect((await claim(byBank.receipt, { method: 'bank_transfer', bank })).status).toBe(201);
    const nobody = [
      phone,
      inPerson.receipt,
      byBank.receipt,
      claimCode,
      claimCode.replace('-', ''),
      '6222020200112233445',
      bank.accountName,
      'claimCodeHash',
      'contactSealed',
    ];
    // The tipster's own words: the case officers' to read, no one else's.
    const caseOfficersOnly = ['夜班保管员', '三号库上夜班'];
    const caseOfficers = [
      'officer',
      'second_officer',
      'department_head',
      'leader_in_charge',
      'principal_leader',
    ];
    const roles = [...caseOfficers, 'reward_officer', 'reward_officer_2'];
    const tipIds = [inPerson.tipId, byBank.tipId];
    const { status } = await readTip(inPerson.tipId);
    const read: string[] = [];
    for (const role of [...roles, 'administrator']) {
      const headers = { authorization: `Bearer ${await signIn(cloud.url, `cq-gecheng.${role}`)}` };
      for (const route of routes as readonly RouteDefinition[]) {
        // The OpenAPI document is the same for all, and its examples are made up.
        if (route.method !== 'GET' || route.operationId === 'getOpenApi') continue;
        if (route.path.includes('{hazardId}') || route.path.includes('{uscc}')) continue;
        for (const tipId of route.path.includes('{tipId}') ? tipIds : [undefined]) {
          const path = route.path
            .replace('{tipId}', tipId ?? '')
            .replace('{code}', 'cq-gecheng')
            .replace('{date}', route.pathParameters?.example.date ?? '');
          const query = new URLSearchParams({
            ...route.query?.example,
            ...(route.operationId === 'listTips' ? { status } : {}),
            // The rows themselves, to search (a file is a job, written apart).
            ...(route.operationId === 'exportHazardLedger' ? { format: 'json' } : {}),
          });
          const reply = await fetch(`${cloud.url}${path}?${query}`, { headers });
          if (reply.status !== 200) continue;
          const body = await reply.text();
          read.push(`${role} ${route.operationId}`);
          // The rewards list holds both claims: what it leaves out is checked on them.
          if (route.operationId === 'listRewards') {
            for (const tipId of tipIds) expect(body).toContain(tipId);
          }
          const secrets = caseOfficers.includes(role) ? nobody : [...nobody, ...caseOfficersOnly];
          for (const secret of secrets) {
            // Not the body in the message: a failure would print whole documents.
            expect(body.includes(secret), `${role} reads ${secret} from ${route.operationId}`).toBe(
              false,
            );
          }
        }
      }
    }
    // The sweep read the tip where each may: the officers' lists and views, the reward desk
    // and the rewards list.
    expect(read).toEqual(
      expect.arrayContaining([
        'officer listTips',
        'officer getTip',
        'reward_officer getTip',
        'reward_officer getRewardDesk',
        'reward_officer listRewards',
        'administrator getPolicies',
      ]),
    );
  });

  it('is refused before approval, and after the deadline, where the lapse is recorded', async () => {
    const { receipt, tipId } = await approvedReward('C3');
    const { claimBy } = (await lookup(receipt)).body.reward;
    // Unclaimed and approved: on the desk once its deadline is within ten days, not before.
    expect(onDesk((await rewardDesk('reward_officer')).deadlineNear, tipId)).toEqual([]);
    await moveClockTo(new Date(Date.parse(claimBy) - 5 * dayMs));
    const near = (await rewardDesk('reward_officer')).deadlineNear;
    expect(near.withinDays).toBe(10);
    expect(onDesk(near, tipId)).toEqual([
      expect.objectContaining({ tipId, amountFen: 1_200_000, claimBy }),
    ]);
    expect(onDesk(near, tipId)[0]).not.toHaveProperty('claimMethod');
    await moveClockTo(new Date(Date.parse(claimBy) + 1000));
    const late = await claim(receipt, { method: 'in_person' });
    expect(late.status).toBe(422);
    const lastDay = new Date(Date.parse(claimBy) - 1 + 8 * 3600 * 1000).toISOString().slice(0, 10);
    expect(JSON.stringify(late.body)).toContain(`领取期限已于 ${lastDay} 届满，奖励已失效`);
    expect(JSON.stringify(late.body)).toContain('the reward has lapsed');
    expect((await lookup(receipt)).body.reward).toMatchObject({ standing: 'lapsed' });
    expect((await lookup(receipt)).body.reward.method).toBeUndefined();
    expect(onDesk((await rewardDesk('reward_officer')).deadlineNear, tipId)).toEqual([]);

    // A tip whose reward is not approved yet has nothing to claim.
    const created = await postJson(`${cloud.url}/api/tips`, validTip());
    const early = await claim(created.body.receipt, { method: 'in_person' });
    expect(early.status).toBe(422);
    expect(JSON.stringify(early.body)).toContain('奖励尚未批准');
  });

  it('answers a wrong receipt as for any other follow-up route', async () => {
    const wrong = await claim('000000000000000000', { method: 'in_person' });
    expect([400, 404]).toContain(wrong.status);
  });
});

describe('the retention sweep (DESIGN: retention periods are policy data, a scheduled sweep applies them)', () => {
  const documents = () => createDocumentClient();
  /** Every item in the table, as text: dynalite's whole table, read by a Scan (tests only). */
  async function wholeTable(): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents().send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
  /** The sealed values on a tip's event items, as stored. */
  async function ciphertextsOf(tipId: string): Promise<string[]> {
    const { Items = [] } = await documents().send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `TIP#${tipId}` },
      }),
    );
    return Items.flatMap((item) =>
      [item.data?.contactSealed, item.data?.bankSealed].filter(
        (value): value is string => typeof value === 'string',
      ),
    );
  }
  const openDetails = (tipId: string) =>
    postJson(
      `${cloud.url}/api/office/tips/${tipId}/reward/payment-details`,
      { idempotencyKey: randomUUID() },
      auth('reward_officer'),
    );

  it('erases the phone and bank details of a paid reward 180 days on, everywhere, and the log still verifies', async () => {
    const { tipId, receipt } = await approvedReward('R1');
    expect((await claim(receipt, { method: 'bank_transfer', bank })).status).toBe(201);
    const paidOn = new Date(clock.now().getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    const paid = await command(tipId, 'reward_officer', {
      type: 'record_payment',
      paidOn,
      voucherNumber: '记-R1',
    });
    expect(paid.status).toBe(200);
    const paidAt = Date.parse(paid.body.reward.payment.recordedAt);
    const sealed = await ciphertextsOf(tipId);
    expect(sealed).toHaveLength(2); // the phone on tip_received, the account on reward_claimed
    expect((await openDetails(tipId)).status).toBe(200);

    // Within the period: kept (the default, 180 days, in force on the policy page).
    const policies = await fetch(`${cloud.url}/api/admin/policies?jurisdiction=cq-gecheng`, {
      headers: { authorization: `Bearer ${await signIn(cloud.url, 'cq-gecheng.administrator')}` },
    });
    expect(JSON.stringify(await policies.json())).toContain('"retention":{"sealedDataDays":180}');
    await moveClockTo(new Date(paidAt + 179 * dayMs));
    await cloud.sweepRetention();
    expect(await ciphertextsOf(tipId)).toEqual(sealed);
    expect((await openDetails(tipId)).status).toBe(200);

    await moveClockTo(new Date(paidAt + 181 * dayMs));
    await cloud.sweepRetention();
    const events = await new DynamoEventStore(documents(), tableName).read(`TIP#${tipId}`);
    expect(await verifyChain(events)).toMatchObject({ valid: true });
    // The lifecycle may have written after it (its waits ended as the clock moved).
    const erasures = events.filter((event) => event.type === 'contact_erased');
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toMatchObject({
      type: 'contact_erased',
      actor: { kind: 'system', id: 'retention-sweep' },
      data: {
        fields: ['contact', 'bank'],
        matterEndedAt: new Date(paidAt).toISOString(),
        retentionDays: 180,
      },
    });
    // No ciphertext anywhere in the table: event items, the state item, its indexes.
    const table = await wholeTable();
    const holding = table
      .filter((item) => sealed.some((ciphertext) => JSON.stringify(item).includes(ciphertext)))
      .map((item) => `${item.pk} ${item.sk}`);
    expect(holding, 'items still holding a ciphertext').toEqual([]);
    expect(await ciphertextsOf(tipId)).toEqual([
      expect.stringMatching(/^erased:sha256:[0-9a-f]{64}$/),
      expect.stringMatching(/^erased:sha256:[0-9a-f]{64}$/),
    ]);

    // The reward officer is told, in both languages, that the details were erased.
    const refused = await openDetails(tipId);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('按保存期限删除');
    expect(JSON.stringify(refused.body)).toContain('erased');
    const view = await readTip(tipId, 'reward_officer');
    expect(view.reward.claim).toMatchObject({ method: 'bank_transfer', hasBankDetails: false });
    expect(view.reward.payment).toMatchObject({ voucherNumber: '记-R1' });

    // A second sweep finds nothing to do: the tip left the sweep's index.
    const again = (await cloud.sweepRetention()) as { erased: string[]; tombstoned: number };
    expect(again.erased).not.toContain(tipId);
    // Nor erases twice. (The lifecycle may still be writing its own events, woken as the clock moved.)
    const after = await new DynamoEventStore(documents(), tableName).read(`TIP#${tipId}`);
    expect(after.filter((event) => event.type === 'contact_erased')).toHaveLength(1);
    expect(await verifyChain(after)).toMatchObject({ valid: true });
  });
});
