import { randomUUID } from 'node:crypto';
import { enterpriseUpdateBudget } from '@qingling/shared/hazards/hazard.ts';
import { tipLimits } from '@qingling/shared/tips/limits.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { callApi, startTestCloud } from '../support/embedded-cloud.ts';
import { recordHazardWithDeadline } from '../support/hazards.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Parties outside the office cannot grow a record until it no longer fits in one item (an
// attack test stuck a hazard with 196 progress notes, a tip with 373 messages: every load and
// command then failed, the escalation with them). Each party has a budget; past it, a clear
// 409 in both languages, and the office goes on with the record.
const clock = new ManualClock('2026-12-03T02:00:00.000Z');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
beforeAll(async () => {
  cloud = await startTestCloud({ clock, publicRequestsPerMinute: 100_000 });
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const officer = 'cq-gecheng.officer';
const call = (method: string, path: string, as: string | null, body?: unknown) =>
  callApi(cloud.url, method, path, as, body);

function expectRefused(reply: { status: number; body: ReplyBody }, code: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(409);
  expect(reply.body.error.code).toBe(code);
  expect(reply.body.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(reply.body.error.message.en).toMatch(/[a-z]/i);
}

describe('a record that parties outside the office write to', () => {
  it("takes a tipster's messages up to the budget, then refuses; the tip goes on", async () => {
    const marker = randomUUID().slice(0, 8);
    const created = await postJson(
      `${cloud.url}/api/tips`,
      validTip({ description: `仓库安全出口被货物堵死，疏散通道不畅 ${marker}` }),
    );
    expect(created.status).toBe(201);
    const { receipt } = created.body;
    const text = '补充情况：'.padEnd(1000, '隐');
    const send = (idempotencyKey: string) =>
      postJson(`${cloud.url}/api/tips/messages`, { receipt, idempotencyKey, text });
    let last = '';
    for (let index = 0; index < tipLimits.messagesFromTipster; index += 1) {
      last = randomUUID();
      const sent = await send(last);
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    }
    expectRefused(await send(randomUUID()), 'messages_limit');
    // A retry of the last message accepted is still answered as that message.
    expect((await send(last)).status).toBe(200);
    // The tipster still follows it; the office still opens it and decides on it.
    expect((await postJson(`${cloud.url}/api/tips/lookup`, { receipt })).status).toBe(200);
    const inbox = await call('GET', '/api/office/tips?jurisdiction=cq-gecheng', officer);
    const tipId = inbox.body.tips.find((tip: ReplyBody) => tip.excerpt.includes(marker)).tipId;
    const tip = await call('GET', `/api/office/tips/${tipId}`, officer);
    expect(tip.status).toBe(200);
    const refused = await call('POST', `/api/office/tips/${tipId}/commands`, officer, {
      idempotencyKey: randomUUID(),
      expectedRevision: tip.body.revision,
      command: { type: 'refuse', reason: 'no_target_or_facts' },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
  });

  it("takes an enterprise's updates up to the budget, then refuses; the hazard goes on", async () => {
    const { hazardId } = await recordHazardWithDeadline(cloud, 'cq-gecheng', {
      date: '2026-12-20',
    });
    const link = await call('POST', `/api/office/hazards/${hazardId}/enterprise-link`, officer, {
      validDays: 30,
    });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    // The longest note a progress report takes: the bytes run out before the count.
    const note = '整改进展：'.padEnd(2000, '进');
    const report = (idempotencyKey: string) =>
      postJson(`${cloud.url}/api/enterprise/hazard/updates`, {
        token: link.body.token,
        idempotencyKey,
        kind: 'progress',
        note,
      });
    let accepted = 0;
    let reply = await report(randomUUID());
    while (reply.status === 201 && accepted < enterpriseUpdateBudget.updates) {
      accepted += 1;
      reply = await report(randomUUID());
    }
    expectRefused(reply, 'updates_limit');
    expect(accepted).toBe(Math.floor(enterpriseUpdateBudget.bytes / 6_100));
    // The officer still opens the hazard and acts on it; the enterprise still sees it.
    const page = await call('GET', `/api/office/hazards/${hazardId}`, officer);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const verified = await call('POST', `/api/office/hazards/${hazardId}/commands`, officer, {
      idempotencyKey: randomUUID(),
      expectedRevision: page.body.revision,
      command: { type: 'submit_evidence', note: '现场复核，货物已清走。', photoKeys: [] },
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const view = await postJson(`${cloud.url}/api/enterprise/hazard`, { token: link.body.token });
    expect(view.status).toBe(200);
    expect(
      view.body.progress.filter((update: ReplyBody) => update.kind === 'progress'),
    ).toHaveLength(accepted);
  });
});
