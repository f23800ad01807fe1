import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';

// Issue 14, "Closure by the book": over HTTP on the embedded cloud, a verified major hazard
// is signed off (销号) by a second person, the department head, never by its verifier; a
// general hazard is closed by an officer as before.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let officer: string;
let head: string;

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  officer = await signIn(cloud.url, 'cq-gecheng.officer');
  head = await signIn(cloud.url, 'cq-gecheng.department_head');
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const plan = {
  goalAndTasks: '清理安全出口，恢复疏散通道',
  methodsAndMeasures: '搬离货物，设置禁停标识',
  fundsAndMaterials: '企业自筹五千元',
  responsibleBodyAndPeople: '企业负责人王某',
  deadlineAndRequirements: '十二月二十日前完成',
  safetyAndEmergencyMeasures: '整改期间设专人值守',
};

/** A hazard of the grade, taken to verified by the officer, through the API. */
async function verified(grade: 'general' | 'major', place: string) {
  const recorded = await recordHazard(cloud.url, officer, place, grade);
  expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
  const hazard = { id: recorded.body.hazard.hazardId as string, revision: 0 };
  hazard.revision = recorded.body.revision;
  for (const command of [
    {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理安全出口',
      deadline: { date: '2026-12-20' },
      ...(grade === 'major' ? { plan } : {}),
    },
    { type: 'submit_evidence', note: '已清理', photoKeys: [] },
    { type: 'pass_verification', note: '现场核查通过', onSite: true },
  ]) {
    const reply = await giveHazardCommand(cloud.url, officer, hazard, command);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    hazard.revision = reply.body.revision;
  }
  return hazard;
}

const page = async (id: string, token: string) => {
  const response = await fetch(`${cloud.url}/api/office/hazards/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.json();
};

describe('closing a major hazard over HTTP', () => {
  it('shows who verified, that the department head is awaited, and the supervising department', async () => {
    const hazard = await verified('major', '一号仓库');
    const body = await page(hazard.id, officer);
    expect(body.hazard.closure).toEqual({
      signOffRole: 'department_head',
      secondPerson: true,
      verifiedBy: { id: 'demo:cq-gecheng.officer', name: expect.any(String) },
      awaitingSignOff: true,
    });
    expect(body.hazard.supervisingDepartment).toEqual({
      code: 'fire_rescue',
      zh: '消防救援机构',
      en: 'Fire and rescue',
    });
  });

  it('refuses the verifying officer with a bilingual 422 and changes nothing', async () => {
    const hazard = await verified('major', '二号仓库');
    const before = await page(hazard.id, officer);
    const reply = await giveHazardCommand(cloud.url, officer, hazard, {
      type: 'close',
      note: '销号',
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('rule_violated');
    expect(reply.body.error.issues[0].message).toEqual({
      zh: expect.stringContaining('科室负责人'),
      en: expect.stringContaining('department head'),
    });
    const after = await page(hazard.id, officer);
    expect(after.revision).toBe(before.revision);
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(after.hazard.status).toBe('verifying');
  });

  it('is closed by the department head, signed on the log', async () => {
    const hazard = await verified('major', '三号仓库');
    const reply = await giveHazardCommand(cloud.url, head, hazard, {
      type: 'close',
      note: '审核销号',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.hazard.status).toBe('closed');
    expect(reply.body.hazard.closure.awaitingSignOff).toBe(false);
    const closed = reply.body.timeline.find(
      (entry: { type: string }) => entry.type === 'hazard_closed',
    );
    expect(closed).toMatchObject({
      actor: { id: 'demo:cq-gecheng.department_head', name: '周强' },
      data: { signedOffAs: 'department_head' },
    });
  });
});

describe('closing a general hazard over HTTP', () => {
  it('is closed by the officer who verified it, as before', async () => {
    const hazard = await verified('general', '四号仓库');
    expect((await page(hazard.id, officer)).hazard.closure).toMatchObject({
      signOffRole: 'officer',
      secondPerson: false,
    });
    const reply = await giveHazardCommand(cloud.url, officer, hazard, {
      type: 'close',
      note: '销号',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.hazard.status).toBe('closed');
  });
});

describe("a jurisdiction's own closure and message policy", () => {
  const admin = () => signIn(cloud.url, 'cq-gecheng.administrator');
  const put = async (body: unknown) => {
    const response = await fetch(
      `${cloud.url}/api/admin/jurisdictions/cq-gecheng/escalation-policy`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${await admin()}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    return { status: response.status, body: await response.json() };
  };
  const ladderView = async () => {
    const response = await fetch(`${cloud.url}/api/admin/policies`, {
      headers: { authorization: `Bearer ${await admin()}` },
    });
    const body = await response.json();
    return body.escalation.find(
      (entry: { jurisdiction: string }) => entry.jurisdiction === 'cq-gecheng',
    );
  };

  it('refuses an unknown placeholder in both languages and changes nothing', async () => {
    const { ladder, officeHours, lateAfterMinutes } = await ladderView();
    const bad = await put({
      ladder: ladder.map(({ name: _name, ...rung }: { name: unknown }) => rung),
      officeHours,
      lateAfterMinutes,
      messages: {
        circular: { subject: { zh: '通报：{enterprize}', en: 'Circular: {enterprise}' } },
      },
      expectedVersion: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0]).toMatchObject({
      path: 'messages.circular.subject.zh',
      message: {
        zh: expect.stringContaining('未知的占位符 {enterprize}'),
        en: expect.stringContaining('Unknown placeholder {enterprize}'),
      },
    });
    expect(await ladderView()).toMatchObject({ version: 0, source: 'national_default' });
  });

  it("names who signs off as the jurisdiction's policy says, and keeps its wording", async () => {
    const { ladder, officeHours, lateAfterMinutes } = await ladderView();
    const messages = {
      circular: { subject: { zh: '督办通报：{enterprise}', en: 'Circular: {enterprise}' } },
    };
    const saved = await put({
      ladder: ladder.map(({ name: _name, ...rung }: { name: unknown }) => rung),
      officeHours,
      lateAfterMinutes,
      closure: { majorSignOff: 'officer' },
      messages,
      expectedVersion: 0,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(await ladderView()).toMatchObject({ closure: { majorSignOff: 'officer' }, messages });

    const hazard = await verified('major', '五号仓库');
    expect((await page(hazard.id, officer)).hazard.closure).toMatchObject({
      signOffRole: 'officer',
      secondPerson: true,
    });
    // The department head is no officer; the one officer verified it: neither may close.
    for (const token of [head, officer]) {
      const reply = await giveHazardCommand(cloud.url, token, hazard, {
        type: 'close',
        note: '销号',
      });
      expect(reply.status).toBe(422);
    }
  });
});
