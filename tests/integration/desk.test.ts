import { randomUUID } from 'node:crypto';
import { officeTipRoutes } from '@qingling/shared/tips/routes.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';
import { postJson, type ReplyBody } from '../support/tips.ts';

// Issues 14 and 15: the office desk (工作台) counts, from the ledger's and the inbox's
// indexes, as of the injected clock: overdue once the deadline passes, fewer after a close.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let token: string;
const auth = () => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  token = await signIn(cloud.url, 'cq-gecheng.officer');
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

async function desk(jurisdiction = 'cq-gecheng'): Promise<{ status: number; body: ReplyBody }> {
  token = await signIn(cloud.url, 'cq-gecheng.officer'); // a token as of the moved clock
  const response = await fetch(`${cloud.url}/api/office/desk?jurisdiction=${jurisdiction}`, {
    headers: auth(),
  });
  return { status: response.status, body: await response.json() };
}

async function record(grade: 'general' | 'major', place: string) {
  const reply = await recordHazard(cloud.url, token, place, grade);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { id: reply.body.hazard.hazardId as string, revision: reply.body.revision as number };
}

async function command(hazard: { id: string; revision: number }, body: Record<string, unknown>) {
  const reply = await giveHazardCommand(cloud.url, token, hazard, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  hazard.revision = reply.body.revision;
}

const plan = {
  goalAndTasks: '清理安全出口，恢复疏散通道',
  methodsAndMeasures: '搬离货物，设置禁停标识',
  fundsAndMaterials: '企业自筹五千元',
  responsibleBodyAndPeople: '企业负责人王某',
  deadlineAndRequirements: '十二月二十日前完成',
  safetyAndEmergencyMeasures: '整改期间设专人值守',
};

const rectify = (deadline: string) => ({
  type: 'start_rectification',
  responsible: '王某',
  measures: '清理安全出口',
  deadline: { date: deadline },
});

describe('the office desk', () => {
  const soon = { id: '', revision: 0 };
  const closing = { id: '', revision: 0 };

  it('counts hazards by status, deadlines, open majors and tips waiting', async () => {
    Object.assign(soon, await record('general', '一号仓库'));
    await command(soon, rectify('2026-12-09'));
    const later = await record('major', '二号仓库');
    await command(later, { ...rectify('2026-12-20'), plan });
    await record('major', '三号仓库');
    Object.assign(closing, await record('general', '四号仓库'));
    await command(closing, rectify('2026-12-10'));
    const example = officeTipRoutes.find((route) => route.operationId === 'recordOfficeTip')
      ?.request?.example as Record<string, unknown>;
    for (const n of [1, 2]) {
      const tip = { ...example, idempotencyKey: randomUUID(), description: `来电反映 ${n} 号商铺` };
      expect((await postJson(`${cloud.url}/api/office/tips`, tip, auth())).status).toBe(201);
    }

    const first = await desk();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      jurisdiction: 'cq-gecheng',
      asOf: '2026-12-08T02:00:00.000Z',
      hazards: { reported: 1, rectifying: 3, verifying: 0, closed_look_back: 0, closed: 0 },
      overdue: 0,
      dueSoon: 2,
      openMajor: 2,
      pendingExtensions: 0,
      awaitingSignOff: 0,
      // The reminders (3 days before) of the deadlines on the 9th and 10th went out today.
      escalationsToday: 2,
      summonsToHold: 0,
      listedSupervisions: 0,
      exposureToApprove: 0,
      exposed: 0,
      tips: { received: 2, accepted: 0, investigating: 0, substantiated: 0 },
      // The officer recorded all four (my-cases.test.ts holds colleagues apart).
      myCases: expect.any(Array),
    });
    expect(first.body.myCases.map((entry: { place: string }) => entry.place)).toEqual([
      '一号仓库',
      '四号仓库',
      '二号仓库',
      '三号仓库',
    ]);
  });

  it('counts a hazard overdue once its deadline (24:00 CST) has passed', async () => {
    clock.set('2026-12-09T15:59:00.000Z'); // 23:59 CST on the deadline day
    expect((await desk()).body).toMatchObject({ overdue: 0, dueSoon: 2 });
    clock.set('2026-12-10T01:00:00.000Z'); // Thu 09:00 CST
    expect((await desk()).body).toMatchObject({ overdue: 1, dueSoon: 1 });
  });

  it('counts less once a hazard is closed', async () => {
    await command(closing, { type: 'submit_evidence', note: '已清理', photoKeys: [] });
    await command(closing, { type: 'pass_verification', note: '现场核查通过', onSite: true });
    await command(closing, { type: 'close', note: '销号' });
    const after = (await desk()).body;
    expect(after).toMatchObject({ overdue: 1, dueSoon: 0, openMajor: 2 });
    expect(after.hazards.rectifying).toBe(2);
    expect(after.hazards.closed + after.hazards.closed_look_back).toBe(1);
    clock.set('2026-12-21T01:00:00.000Z');
    expect((await desk()).body).toMatchObject({ overdue: 2, dueSoon: 0 });
  });

  it('refuses another jurisdiction and a missing one, bilingually', async () => {
    expect((await desk('cq-other')).status).toBe(403);
    const response = await fetch(`${cloud.url}/api/office/desk`, { headers: auth() });
    expect(response.status).toBe(400);
    const body = JSON.stringify(await response.json());
    expect(body).toMatch(/[\u4e00-\u9fff]/);
  });
});
