import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Issue 16, the reward's notice deadline kept by the tip's lifecycle, on the embedded cloud
// with an injected clock: a substantiated tip fined, its reward not approved → a reminder
// to the jurisdiction's reward officers (their contacts as the administrator keeps them)
// five days before the deadline, once → `reward_notice_overdue` at the deadline, once,
// without any look-up → the desk lists it first, overdue → an approval after it stands.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
const tokens: Record<string, string> = {};
const clock = new ManualClock('2026-11-24T02:00:00.000Z'); // Tue 24 Nov 10:00 CST
const who = ['officer', 'reward_officer', 'reward_officer_2', 'administrator'];
async function signInAll() {
  for (const name of who) tokens[name] = await signIn(cloud.url, `cq-gecheng.${name}`);
}
/** Moves the clock, wakes the lifecycles and waits until they are idle again. */
async function advanceTo(instant: string) {
  clock.set(instant);
  cloud.tipConductor.tick();
  await cloud.tipConductor.settled();
  await signInAll();
}
beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 100_000, clock });
  await signInAll();
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });

async function get(path: string, name: string): Promise<ReplyBody> {
  const reply = await fetch(`${cloud.url}${path}`, { headers: auth(name) });
  expect(reply.status, path).toBe(200);
  return reply.json();
}
const readTip = (tipId: string, name = 'reward_officer') => get(`/api/office/tips/${tipId}`, name);
const desk = () => get('/api/office/reward-desk?jurisdiction=cq-gecheng', 'reward_officer');
async function command(tipId: string, body: Record<string, unknown>) {
  const { revision } = await readTip(tipId, 'officer');
  return postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: revision, command: body },
    auth('officer'),
  );
}
async function rewardRoute(tipId: string, name: string, action: 'compute' | 'approve') {
  const { revision } = await readTip(tipId, name);
  return postJson(
    `${cloud.url}/api/office/tips/${tipId}/reward/${action}`,
    { idempotencyKey: randomUUID(), expectedRevision: revision },
    auth(name),
  );
}

/** A tip substantiated and answered on Tue 24 Nov, its case result recorded: a reward due. */
async function rewardDue(marker: string) {
  const created = await postJson(
    `${cloud.url}/api/tips`,
    validTip({
      description: `仓库安全出口被货物堵死，疏散通道不畅 ${marker}`,
      address: `东门路 18 号仓库 ${marker}`,
      wantsReward: true,
      contactPhone: '13812345678',
    }),
  );
  expect(created.status).toBe(201);
  const inbox = await get('/api/office/tips?jurisdiction=cq-gecheng', 'officer');
  const tipId: string =
    inbox.tips.find((entry: { excerpt: string }) => entry.excerpt.includes(marker))?.tipId ?? '';
  expect(tipId).not.toBe('');
  for (const step of [
    { type: 'accept' },
    { type: 'start_investigation' },
    { type: 'record_finding', finding: 'substantiated', note: '现场核查属实' },
    { type: 'give_feedback', text: '经核查属实，已依法查处。' },
    {
      type: 'record_outcome',
      outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
      documentNumber: '渝葛应急罚〔2026〕40号',
    },
  ]) {
    expect((await command(tipId, step)).status).toBe(200);
  }
  return tipId;
}

const rewardPhone = '13900000177';
const noticeReminders = async () =>
  (await cloud.outbox.list()).filter((entry) => entry.key.includes('#reward#notice-reminder'));

describe('the reward notice deadline kept by the tip lifecycle', () => {
  it('reminds the reward officers once, marks the deadline passed once, and the desk shows it first', async () => {
    // The administrator keeps the reward officers' contacts on the contacts page.
    const lists = await get('/api/admin/jurisdictions/cq-gecheng/contacts', 'administrator');
    expect(lists.contacts.reward_officer).toEqual([]);
    const saved = await fetch(`${cloud.url}/api/admin/jurisdictions/cq-gecheng/contacts`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth('administrator') },
      body: JSON.stringify({
        contacts: { ...lists.contacts, reward_officer: [{ kind: 'sms', phone: rewardPhone }] },
        expectedVersion: lists.version,
      }),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);

    const marker = `N${randomUUID().slice(0, 6)}`;
    const tipId = await rewardDue(marker);
    await cloud.tipConductor.settled();
    // 20 days from the verification on Tue 24 Nov: 24:00 CST Mon 14 December.
    const noticeDueBy = '2026-12-14T16:00:00.000Z';
    const due = await readTip(tipId);
    expect(due.status).toBe('closed');
    expect(due.rewardNotice).toEqual({ dueBy: noticeDueBy, overdue: false });
    expect(cloud.tipConductor.isRunning(tipId)).toBe(true);
    expect((await desk()).toCompute.items).toContainEqual(
      expect.objectContaining({ tipId, noticeDueBy, noticeOverdue: false }),
    );

    // Five days before the last day: 24:00 Wed 9 December → 09:00 CST Thu 10 December.
    await advanceTo('2026-12-10T00:59:00.000Z');
    expect(await noticeReminders()).toEqual([]);
    await advanceTo('2026-12-10T01:06:00.000Z');
    const sent = await noticeReminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'reward_officer@cq-gecheng',
      contacts: [{ kind: 'sms', phone: rewardPhone }],
      subject: { zh: `举报奖励告知期限提醒：${tipId.slice(0, 8)}` },
      body: {
        zh: `cq-gecheng 举报线索 ${tipId.slice(0, 8)} 的奖励须于 2026-12-14 前核算、批准并告知举报人，目前尚未批准。请登录奖励工作台处理。`,
      },
    });
    // To office staff: nothing the tipster wrote, nor their phone.
    for (const secret of [marker, '东门路', '仓库', '13812345678']) {
      expect(JSON.stringify(sent[0])).not.toContain(secret);
    }
    expect((await readTip(tipId)).rewardNotice).toMatchObject({
      reminderAt: '2026-12-10T01:06:00.000Z',
      overdue: false,
    });
    await advanceTo('2026-12-11T01:06:00.000Z');
    expect(await noticeReminders()).toHaveLength(1);

    // The deadline passes: the overdue mark is recorded by the lifecycle, unasked, once.
    await advanceTo('2026-12-14T16:06:00.000Z');
    const overdue = await readTip(tipId);
    expect(overdue.rewardNotice).toMatchObject({
      dueBy: noticeDueBy,
      overdue: true,
      overdueAt: '2026-12-14T16:06:00.000Z',
    });
    expect(cloud.tipConductor.isRunning(tipId)).toBe(false);
    await advanceTo('2026-12-15T02:00:00.000Z');
    expect((await readTip(tipId)).rewardNotice.overdueAt).toBe('2026-12-14T16:06:00.000Z');
    expect(await noticeReminders()).toHaveLength(1);

    // The desk lists it first among the rewards to compute, marked overdue.
    const laterMarker = `M${randomUUID().slice(0, 6)}`;
    const later = await rewardDue(laterMarker);
    const listed = (await desk()).toCompute.items;
    expect(listed.map((item: { tipId: string }) => item.tipId).slice(0, 2)).toEqual([tipId, later]);
    expect(listed[0]).toMatchObject({ noticeDueBy, noticeOverdue: true });
    expect(listed[1]).toMatchObject({
      noticeDueBy: '2027-01-04T16:00:00.000Z', // 20 days from 15 December
      noticeOverdue: false,
    });

    // Computed and approved after the deadline: it stands, and the tip shows it was late.
    expect((await rewardRoute(tipId, 'reward_officer', 'compute')).status).toBe(200);
    expect((await desk()).toApprove.items[0]).toMatchObject({ tipId, noticeOverdue: true });
    expect((await rewardRoute(tipId, 'reward_officer_2', 'approve')).status).toBe(200);
    await cloud.tipConductor.settled();
    const approved = await readTip(tipId);
    expect(approved.reward).toMatchObject({ noticeDueBy, standing: 'open' });
    expect(approved.rewardNotice).toMatchObject({
      overdue: true,
      givenAt: approved.reward.approvedAt,
    });
    // The lifecycle keeps the claim deadline now.
    expect(cloud.tipConductor.isRunning(tipId)).toBe(true);
    expect(await noticeReminders()).toHaveLength(1);
    // The statistics count the notice given late among the rewards offered.
    const statistics = await get(
      '/api/office/statistics?jurisdiction=cq-gecheng&from=2026-01&to=2027-12',
      'officer',
    );
    expect(statistics.rewards.totals).toMatchObject({
      offered: { count: 1, fen: 1_200_000 },
      noticedLate: { count: 1, fen: 1_200_000 },
    });
  }, 90_000);
});
