import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  type Caller,
  createEnterprise,
  createMarkedHazard,
  createMarkedTip,
} from '../support/authorization-fixtures.ts';
import { ManualClock } from '../support/clock.ts';
import { startTestCloud } from '../support/embedded-cloud.ts';

// Issue 15, "Leaders act" and "The public exposure page", over HTTP on the embedded cloud:
// a principal leader approves exposure and the public route lists it, with nothing that
// names the tip behind it; an officer (or the leader in charge) is refused and nothing
// changes; a withdrawal takes it off the page.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let api: Api;
let hazardId: string;
let tip: Awaited<ReturnType<typeof createMarkedTip>>;

const as = (role: Caller['role'], jurisdiction = 'cq-gecheng'): Caller => ({ role, jurisdiction });
const publicFields = [
  'jurisdiction',
  'enterpriseName',
  'place',
  'grade',
  'industry',
  'description',
  'foundOn',
  'measures',
  'deadline',
  'status',
  'closedAt',
  'exposedAt',
  'documentNumber',
  'listedSupervision',
];

const plan = {
  goalAndTasks: '清理安全出口，恢复疏散通道',
  methodsAndMeasures: '搬离货物，设置禁停标识',
  fundsAndMaterials: '企业自筹五千元',
  responsibleBodyAndPeople: '企业负责人王某',
  deadlineAndRequirements: '十二月二十日前完成',
  safetyAndEmergencyMeasures: '整改期间设专人值守',
};

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  api = new Api(cloud.url);
  const uscc = await createEnterprise(api, 'cq-gecheng', 'EXPOSE');
  tip = await createMarkedTip(api, 'cq-gecheng', 'EXPOSE');
  hazardId = await createMarkedHazard(api, 'cq-gecheng', 'EXPOSE', {
    enterprise: uscc,
    source: 'tip',
    tipId: tip.tipId,
  });
  await command(as('officer'), {
    type: 'start_rectification',
    responsible: '王某',
    measures: '搬离货物，恢复疏散通道',
    deadline: { date: '2026-12-20' },
    plan,
  });
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

async function revision(): Promise<number> {
  return (await api.must('GET', `/api/office/hazards/${hazardId}`, { as: as('officer') })).body
    .revision;
}

async function command(caller: Caller, body: Record<string, unknown>) {
  return api.call('POST', `/api/office/hazards/${hazardId}/commands`, {
    as: caller,
    body: { idempotencyKey: randomUUID(), expectedRevision: await revision(), command: body },
  });
}

const exposed = async (query = 'jurisdiction=cq-gecheng') =>
  api.call('GET', `/api/public/exposure?${query}`);

const approve = {
  type: 'approve_exposure',
  documentNumber: '歌城安委曝〔2026〕7号',
  reason: '逾期未整改，经约谈仍未落实',
};

describe('leaders act on a hazard, and the public exposure page', () => {
  it('refuses exposure from an officer and the leader in charge (403), changing nothing', async () => {
    const before = await revision();
    for (const role of ['officer', 'department_head', 'leader_in_charge'] as const) {
      const reply = await command(as(role), approve);
      expect(reply.status, role).toBe(403);
      expect(reply.body.error.message).toEqual({
        zh: '您无权进行此操作。',
        en: 'You are not allowed to do this.',
      });
    }
    expect(await revision()).toBe(before);
    expect((await exposed()).body).toEqual({ hazards: [] });
  });

  it("answers another jurisdiction's leader as if the hazard did not exist", async () => {
    const reply = await command(as('principal_leader', 'fj-xiamen-xiangan'), approve);
    expect(reply.status).toBe(404);
  });

  it('lets the principal leader approve exposure; the public route lists it, naming no tip', async () => {
    const reply = await command(as('principal_leader'), approve);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.hazard.exposure).toMatchObject({
      documentNumber: approve.documentNumber,
      enterpriseName: 'EXPOSE 企业',
    });
    expect(reply.body.timeline.at(-1)).toMatchObject({
      type: 'exposure_approved',
      actor: { name: '秦川' },
    });

    const list = await exposed();
    expect(list.status).toBe(200);
    expect(list.body.hazards).toHaveLength(1);
    const [shown] = list.body.hazards;
    for (const key of Object.keys(shown)) expect(publicFields).toContain(key);
    expect(shown).toMatchObject({
      jurisdiction: 'cq-gecheng',
      enterpriseName: 'EXPOSE 企业',
      status: 'rectifying',
      measures: '搬离货物，恢复疏散通道',
      documentNumber: approve.documentNumber,
    });
    expect(shown.description).toContain('EXPOSE 隐患描述');
    // Nothing that leads to the tip or its tipster, nor to the officers.
    for (const secret of [tip.tipId, tip.receipt, tip.description, hazardId, '张伟', '王某']) {
      expect(list.text).not.toContain(secret);
    }
    expect(list.text).not.toMatch(/tip|receipt|reporter|mobile|phone/i);
    // Another jurisdiction's page does not show it.
    expect((await exposed('jurisdiction=fj-xiamen-xiangan')).body).toEqual({ hazards: [] });
  });

  it('refuses bad input in both languages and writes nothing', async () => {
    const before = await revision();
    const twice = await command(as('principal_leader'), approve);
    expect(twice.status).toBe(422);
    expect(twice.body.error.issues[0].message).toEqual({
      zh: '该隐患已批准曝光。',
      en: 'Exposure of this hazard is already approved.',
    });
    const empty = await command(as('principal_leader'), { ...approve, documentNumber: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues[0].message.zh).toEqual(expect.any(String));
    expect(empty.body.error.issues[0].message.en).toEqual(expect.any(String));
    const past = await command(as('leader_in_charge'), {
      type: 'record_summons',
      attendees: '企业负责人张某',
      agreed: '十日内整改',
      nextDate: '2026-12-01',
    });
    expect(past.status).toBe(422);
    expect(past.body.error.issues[0].message.en).toContain('has passed');
    const listing = await command(as('officer'), {
      type: 'place_listed_supervision',
      documentNumber: '督〔2026〕1号',
      reason: '逾期',
    });
    expect(listing.status).toBe(403);
    expect(await revision()).toBe(before);
    expect((await exposed('jurisdiction=cq-gecheng&cursor=bm90LWEta2V5')).status).toBe(400);
  });

  it('records a summons and listed supervision on the log and the page', async () => {
    const summons = await command(as('leader_in_charge'), {
      type: 'record_summons',
      attendees: '企业主要负责人张某、安全科长王某',
      agreed: '十日内清空通道，每周报送进展',
      nextDate: '2026-12-15',
    });
    expect(summons.status, summons.text).toBe(200);
    expect(summons.body.hazard.summonses).toEqual([
      expect.objectContaining({ by: '蒋平', nextDate: '2026-12-15' }),
    ]);
    const listed = await command(as('principal_leader'), {
      type: 'place_listed_supervision',
      documentNumber: '歌城安委督〔2026〕3号',
      reason: '重大隐患逾期未改',
    });
    expect(listed.status, listed.text).toBe(200);
    expect((await exposed()).body.hazards[0].listedSupervision).toBe('歌城安委督〔2026〕3号');
  });

  it('takes a withdrawn exposure off the public page', async () => {
    const reply = await command(as('principal_leader'), {
      type: 'withdraw_exposure',
      reason: '企业已整改到位',
    });
    expect(reply.status, reply.text).toBe(200);
    expect((await exposed()).body).toEqual({ hazards: [] });
  });
});
