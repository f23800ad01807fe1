import { randomUUID } from 'node:crypto';
import { defaultEscalationPolicy, spreadOffsetMs } from '@qingling/shared/hazards/escalation.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { callApi, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';
import { type ReplyBody, validTip } from '../support/tips.ts';

// Issue 14 must-show: "An administrator changes a tip limit and a ladder's message text in
// the console, and the next tip and escalation follow them." Through the embedded cloud's
// API (the console's page sends the same requests): the acceptance limit of the tips
// received after the edit, and the words of the next escalation message in the outbox.
const clock = new ManualClock('2026-12-03T02:00:00.000Z'); // Thu 3 Dec 2026, 10:00 CST
const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const call = (method: string, path: string, as: string | null, body?: unknown) =>
  callApi(cloud.url, method, path, as, body);

const ladderOf = async (jurisdiction: string) => {
  const reply = await call('GET', '/api/admin/policies', `${jurisdiction}.administrator`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.escalation.find(
    (entry: { jurisdiction: string }) => entry.jurisdiction === jurisdiction,
  );
};

/** What the page sends: the ladder as read, with the parts edited. */
const editOf = (view: ReplyBody, change: Record<string, unknown>) => ({
  ladder: view.ladder.map(({ name: _, ...rung }: { name: unknown }) => rung),
  officeHours: view.officeHours,
  lateAfterMinutes: view.lateAfterMinutes,
  ...(view.closure ? { closure: view.closure } : {}),
  ...(view.messages ? { messages: view.messages } : {}),
  tipLimits: view.tipLimits,
  expectedVersion: view.version,
  ...change,
});
const putPolicy = (jurisdiction: string, body: unknown) =>
  call(
    'PUT',
    `/api/admin/jurisdictions/${jurisdiction}/escalation-policy`,
    `${jurisdiction}.administrator`,
    body,
  );

async function acceptDeadlineOfTipAt(jurisdiction: string, receivedAt: string) {
  clock.set(receivedAt);
  const tip = await call('POST', '/api/tips', null, validTip({ jurisdiction }));
  expect(tip.status, JSON.stringify(tip.body)).toBe(201);
  const inbox = await call(
    'GET',
    `/api/office/tips?jurisdiction=${jurisdiction}&status=received`,
    `${jurisdiction}.officer`,
  );
  expect(inbox.status, JSON.stringify(inbox.body)).toBe(200);
  const found = inbox.body.tips.find(
    (entry: { receivedAt: string }) => entry.receivedAt === receivedAt,
  );
  expect(found, receivedAt).toBeDefined();
  return { tipId: found.tipId as string, acceptDeadline: found.acceptDeadline as string };
}

describe("an administrator's edit of a tip limit and a step's message", () => {
  it('refuses a bad limit and a bad template in zh and en, and a stale version with 409; nothing changes', async () => {
    const view = await ladderOf(own);
    expect(view).toMatchObject({
      version: 0,
      source: 'national_default',
      tipLimits: { acceptDays: 3, verifyDays: 60, feedbackDays: 10 },
    });
    const bad = await putPolicy(
      own,
      editOf(view, {
        tipLimits: { acceptDays: 1, verifyDays: 90, feedbackDays: 10 },
        messages: { circular: { subject: { zh: '通报：{企业}', en: 'Circular: {enterprise}' } } },
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual(
      expect.arrayContaining([
        {
          path: 'tipLimits.acceptDays',
          message: {
            zh: '受理期限须为 2 至 15 个工作日之间的整数。',
            en: 'The acceptance limit must be a whole number of working days from 2 to 15.',
          },
        },
        expect.objectContaining({
          path: 'tipLimits.verifyDays',
          message: expect.objectContaining({ en: expect.stringContaining('from 8 to 60') }),
        }),
        expect.objectContaining({
          path: 'messages.circular.subject.zh',
          message: expect.objectContaining({ zh: expect.stringContaining('未知的占位符 {企业}') }),
        }),
      ]),
    );
    expect(await ladderOf(own)).toEqual(view);
  });

  it("applies a new acceptance limit to the tips received after it, the jurisdiction's alone", async () => {
    // Received Thu 3 Dec before the edit: 3 working days → Tue 8 Dec, 24:00 CST.
    const before = await acceptDeadlineOfTipAt(own, '2026-12-03T02:00:00.000Z');
    expect(before.acceptDeadline).toBe('2026-12-08T16:00:00.000Z');

    const edited = await putPolicy(
      own,
      editOf(await ladderOf(own), {
        tipLimits: { acceptDays: 5, verifyDays: 30, feedbackDays: 7 },
      }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      version: 1,
      source: 'administrator',
      updatedBy: expect.any(String),
      tipLimits: { acceptDays: 5, verifyDays: 30, feedbackDays: 7 },
    });
    // A second editor who read version 0 loses, and changes nothing.
    const stale = await putPolicy(
      own,
      editOf(edited.body, {
        tipLimits: { acceptDays: 2, verifyDays: 30, feedbackDays: 7 },
        expectedVersion: 0,
      }),
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ version: 1, tipLimits: { acceptDays: 5 } });

    // The next tip, ten minutes later: 5 working days → Thu 10 Dec, 24:00 CST.
    const after = await acceptDeadlineOfTipAt(own, '2026-12-03T02:10:00.000Z');
    expect(after.acceptDeadline).toBe('2026-12-10T16:00:00.000Z');
    // The tip received before keeps its deadline; another jurisdiction keeps the default.
    const again = await call('GET', `/api/office/tips/${before.tipId}`, `${own}.officer`);
    expect(again.body.acceptDeadline).toBe('2026-12-08T16:00:00.000Z');
    const elsewhere = await acceptDeadlineOfTipAt(other, '2026-12-03T02:20:00.000Z');
    expect(elsewhere.acceptDeadline).toBe('2026-12-08T16:00:00.000Z');

    // Accepted now, its verification runs the jurisdiction's 30 days: Sat 2 Jan, 24:00 CST.
    const accepted = await call(
      'POST',
      `/api/office/tips/${after.tipId}/commands`,
      `${own}.officer`,
      { idempotencyKey: randomUUID(), expectedRevision: 1, command: { type: 'accept' } },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.verifyDeadline).toBe('2027-01-02T16:00:00.000Z');
  });

  it('words the next escalation message as the administrator wrote it, placeholders filled', async () => {
    const view = await ladderOf(own);
    const edited = await putPolicy(
      own,
      editOf(view, {
        messages: {
          ...view.messages,
          notice_letter: {
            subject: {
              zh: '【格城应急】{enterprise}逾期 {daysOverdue} 天未整改',
              en: '[Gecheng] {enterprise}: {daysOverdue} day(s) overdue',
            },
          },
        },
      }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.version).toBe(2);

    const officer = await signIn(cloud.url, `${own}.officer`);
    const recorded = await recordHazard(cloud.url, officer, '三号仓库', 'general');
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const hazard = {
      id: recorded.body.hazard.hazardId as string,
      revision: recorded.body.revision,
    };
    const started = await giveHazardCommand(cloud.url, officer, hazard, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理安全出口',
      deadline: { date: '2026-12-10' }, // Thursday
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await cloud.conductor.settled();
    // Fri 11 Dec 09:06 CST and the hazard's place in the spread window after 09:00: the
    // notice letter, one day past the deadline.
    clock.set(
      new Date(
        Date.parse('2026-12-11T01:06:00.000Z') + spreadOffsetMs(hazard.id, defaultEscalationPolicy),
      ).toISOString(),
    );
    cloud.conductor.tick();
    await cloud.conductor.settled();

    const letter = (await cloud.outbox.list()).find(
      (entry) => entry.key === `${hazard.id}#1#notice_letter#enterprise_principal`,
    );
    expect(letter?.subject).toEqual({
      zh: expect.stringMatching(/^【格城应急】.+逾期 1 天未整改$/),
      en: expect.stringMatching(/^\[Gecheng\] .+: 1 day\(s\) overdue$/),
    });
    // The parts not edited keep the default wording.
    expect(letter?.body.zh).toContain('现已逾期 1 天');
  });

  it('looks again at every closed general hazard once the administrator samples all of them', async () => {
    const edited = await putPolicy(
      own,
      editOf(await ladderOf(own), { lookBack: { afterDays: 14, generalSamplePercent: 100 } }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.lookBack).toEqual({ afterDays: 14, generalSamplePercent: 100 });
    const refused = await putPolicy(
      own,
      editOf(edited.body, { lookBack: { afterDays: 14, generalSamplePercent: 101 } }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0]).toMatchObject({
      path: 'lookBack.generalSamplePercent',
      message: { zh: expect.stringContaining('抽查比例'), en: expect.stringContaining('per cent') },
    });

    clock.set('2026-12-14T02:00:00.000Z'); // Mon 14 Dec, 10:00 CST
    const officer = await signIn(cloud.url, `${own}.officer`);
    const closedIds: string[] = [];
    for (const place of ['五号仓库', '六号仓库', '七号仓库']) {
      const recorded = await recordHazard(cloud.url, officer, place, 'general');
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
      const hazard = {
        id: recorded.body.hazard.hazardId as string,
        revision: recorded.body.revision,
      };
      for (const command of [
        {
          type: 'start_rectification',
          responsible: '王某',
          measures: '清理通道',
          deadline: { date: '2026-12-31' },
        },
        { type: 'submit_evidence', note: '已清理', photoKeys: [] },
        { type: 'pass_verification', note: '现场核查通过', onSite: true },
        { type: 'close', note: '销号' },
      ]) {
        const reply = await giveHazardCommand(cloud.url, officer, hazard, command);
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        hazard.revision = reply.body.revision;
      }
      closedIds.push(hazard.id);
    }
    for (const hazardId of closedIds) {
      const view = await call('GET', `/api/office/hazards/${hazardId}`, `${own}.officer`);
      // 14 days after Mon 14 Dec: Mon 28 Dec, 09:00 CST (20 % would have left most out).
      expect(view.body.hazard.lookBack, hazardId).toMatchObject({
        status: 'scheduled',
        dueAt: '2026-12-28T01:00:00.000Z',
      });
    }
  });

  it("keeps a tipster's sealed phone as long as the administrator says, and the sweep erases it then", async () => {
    const edited = await putPolicy(
      other,
      editOf(await ladderOf(other), { retention: { sealedDataDays: 30 } }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.retention).toEqual({ sealedDataDays: 30 });
    const refused = await putPolicy(
      other,
      editOf(edited.body, { retention: { sealedDataDays: 29 } }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0]).toMatchObject({
      path: 'retention.sealedDataDays',
      message: { zh: expect.stringContaining('保存期限'), en: expect.stringContaining('kept') },
    });
    expect((await ladderOf(other)).retention).toEqual({ sealedDataDays: 30 });

    // A tip with a phone, refused: no reward is possible, the period runs from the refusal.
    const created = await call(
      'POST',
      '/api/tips',
      null,
      validTip({ jurisdiction: other, wantsReward: true, contactPhone: '13912345678' }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const inbox = await call('GET', `/api/office/tips?jurisdiction=${other}`, `${other}.officer`);
    const tipId: string = inbox.body.tips[0].tipId;
    const tip = await call('GET', `/api/office/tips/${tipId}`, `${other}.officer`);
    expect(tip.body.hasContact).toBe(true);
    const refusal = await call('POST', `/api/office/tips/${tipId}/commands`, `${other}.officer`, {
      idempotencyKey: randomUUID(),
      expectedRevision: tip.body.revision,
      command: { type: 'refuse', reason: 'no_target_or_facts' },
    });
    expect(refusal.status, JSON.stringify(refusal.body)).toBe(200);
    const hasContact = async () =>
      (await call('GET', `/api/office/tips/${tipId}`, `${other}.officer`)).body.hasContact;
    clock.set(new Date(clock.now().getTime() + 29 * 24 * 3600_000));
    await cloud.sweepRetention();
    expect(await hasContact()).toBe(true);
    clock.set(new Date(clock.now().getTime() + 2 * 24 * 3600_000));
    await cloud.sweepRetention();
    expect(await hasContact()).toBe(false);
  });
});
