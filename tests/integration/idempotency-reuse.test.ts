import { randomUUID } from 'node:crypto';
import { officeTipRoutes } from '@qingling/shared/tips/routes.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Issue 17, item 5: a request key reused with different content is told so (409, in both
// languages) and changes nothing; the same key with the same content is still answered
// as the first request was. Every place a client's key is taken, against the embedded cloud.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let officer: string;
const clock = new ManualClock('2026-11-24T02:00:00.000Z');
beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 100_000, clock });
  officer = await signIn(cloud.url, 'cq-gecheng.officer');
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const asOfficer = () => ({ authorization: `Bearer ${officer}` });
const url = (path: string) => `${cloud.url}${path}`;
const get = async (path: string, headers: Record<string, string> = asOfficer()) => {
  const response = await fetch(url(path), { headers });
  return { status: response.status, body: (await response.json()) as ReplyBody };
};

function expectReused(reply: { status: number; body: ReplyBody }, code = 'idempotency_key_reused') {
  expect(reply.status).toBe(409);
  expect(reply.body.error.code).toBe(code);
  expect(reply.body.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(reply.body.error.message.en).toMatch(/[a-z]/i);
}

/** A fresh web tip with a marker in its text: its receipt and its id (from the inbox). */
async function newTip(marker: string): Promise<{ receipt: string; tipId: string }> {
  clock.advance(1000);
  const created = await postJson(
    url('/api/tips'),
    validTip({ description: `仓库安全出口被货物堵死，疏散通道不畅 ${marker}` }),
  );
  expect(created.status).toBe(201);
  return { receipt: created.body.receipt, tipId: await tipIdOf(marker) };
}

async function tipIdOf(marker: string): Promise<string> {
  const inbox = await get('/api/office/tips?jurisdiction=cq-gecheng');
  const tip = (inbox.body.tips as { tipId: string; excerpt: string }[]).find((entry) =>
    entry.excerpt.includes(marker),
  );
  if (!tip) throw new Error(`tip ${marker} not in the inbox`);
  return tip.tipId;
}

const hazardFacts = (marker: string, description = `灭火器压力不足，需要更换。${marker}`) => ({
  jurisdiction: 'cq-gecheng',
  source: 'inspection',
  industry: 'fire',
  enterprise: '91350100M000100Y43',
  place: `二号车间 ${marker}`,
  grade: 'general',
  description,
});

async function newHazard(marker: string): Promise<{ hazardId: string; revision: number }> {
  const reply = await postJson(
    url('/api/office/hazards'),
    { idempotencyKey: randomUUID(), ...hazardFacts(marker) },
    asOfficer(),
  );
  expect(reply.status).toBe(201);
  return { hazardId: reply.body.hazard.hazardId, revision: reply.body.revision };
}

/** How many events of a type a hazard's timeline holds (the workflow may add its own). */
async function eventsOf(hazardId: string, type: string): Promise<number> {
  const stored = await get(`/api/office/hazards/${hazardId}`);
  return (stored.body.timeline as { type: string }[]).filter((event) => event.type === type).length;
}

describe('a tip submitted twice with one key', () => {
  it('from the web: the same tip is the same receipt, another tip is refused', async () => {
    const marker = `web-${randomUUID().slice(0, 8)}`;
    const tip = validTip({ description: `仓库安全出口被货物堵死，疏散通道不畅 ${marker}` });
    const first = await postJson(url('/api/tips'), tip);
    expect(first.status).toBe(201);
    const again = await postJson(url('/api/tips'), tip);
    expect(again.status).toBe(200);
    expect(again.body.receipt).toBe(first.body.receipt);
    expectReused(
      await postJson(url('/api/tips'), { ...tip, description: `另一处隐患：配电箱敞开 ${marker}` }),
      'idempotency_mismatch',
    );
    const lookup = await postJson(url('/api/tips/lookup'), { receipt: first.body.receipt });
    expect(lookup.body.description).toContain('仓库安全出口');
  });

  it('entered by an officer: the same as from the web', async () => {
    const marker = `office-${randomUUID().slice(0, 8)}`;
    const example = officeTipRoutes.find((route) => route.operationId === 'recordOfficeTip')
      ?.request?.example as Record<string, unknown>;
    const tip = {
      ...example,
      seenOn: '2026-11-23',
      idempotencyKey: randomUUID(),
      description: `来电反映：商铺二楼违规住人 ${marker}`,
    };
    const first = await postJson(url('/api/office/tips'), tip, asOfficer());
    expect(first.status).toBe(201);
    const again = await postJson(url('/api/office/tips'), tip, asOfficer());
    expect(again.status).toBe(200);
    expect(again.body.receipt).toBe(first.body.receipt);
    expectReused(
      await postJson(url('/api/office/tips'), { ...tip, channel: 'letter' }, asOfficer()),
      'idempotency_mismatch',
    );
    const stored = await get(`/api/office/tips/${await tipIdOf(marker)}`);
    expect(stored.body.channel).toBe('hotline');
  });
});

describe('messages on a tip', () => {
  it("the tipster's message: a retry is the same message, other text is refused", async () => {
    const tip = await newTip(`reply-${randomUUID().slice(0, 8)}`);
    const idempotencyKey = randomUUID();
    const message = { receipt: tip.receipt, idempotencyKey, text: '仓库在二楼，晚上最严重。' };
    const first = await postJson(url('/api/tips/messages'), message);
    expect(first.status).toBe(201);
    const again = await postJson(url('/api/tips/messages'), message);
    expect(again.status).toBe(200);
    expect(again.body.messageId).toBe(first.body.messageId);
    expectReused(await postJson(url('/api/tips/messages'), { ...message, text: '其实是在三楼。' }));
    const lookup = await postJson(url('/api/tips/lookup'), { receipt: tip.receipt });
    expect(lookup.body.messages.map((entry: { text: string }) => entry.text)).toEqual([
      '仓库在二楼，晚上最严重。',
    ]);
  });

  it("an officer's question: a retry is the same question, another is refused", async () => {
    const tip = await newTip(`ask-${randomUUID().slice(0, 8)}`);
    const question = { idempotencyKey: randomUUID(), text: '请问堵塞的是哪一个出口？' };
    const path = url(`/api/office/tips/${tip.tipId}/questions`);
    const first = await postJson(path, question, asOfficer());
    expect(first.status).toBe(201);
    const again = await postJson(path, question, asOfficer());
    expect(again.status).toBe(200);
    expect(again.body.messageId).toBe(first.body.messageId);
    expectReused(await postJson(path, { ...question, text: '请问仓库几点关门？' }, asOfficer()));
    const stored = await get(`/api/office/tips/${tip.tipId}`);
    expect(stored.body.messages.map((entry: { text: string }) => entry.text)).toEqual([
      '请问堵塞的是哪一个出口？',
    ]);
  });
});

describe('a tip command given twice with one key', () => {
  it('the same command is answered again, another command is refused', async () => {
    const tip = await newTip(`triage-${randomUUID().slice(0, 8)}`);
    const path = url(`/api/office/tips/${tip.tipId}/commands`);
    const request = {
      idempotencyKey: randomUUID(),
      expectedRevision: 1,
      command: { type: 'accept' },
    };
    const first = await postJson(path, request, asOfficer());
    expect(first.status).toBe(200);
    const again = await postJson(path, request, asOfficer());
    expect(again.status).toBe(200);
    expect(again.body.status).toBe(first.body.status);
    expectReused(
      await postJson(
        path,
        { ...request, command: { type: 'refuse', reason: 'other_department' } },
        asOfficer(),
      ),
    );
    const stored = await get(`/api/office/tips/${tip.tipId}`);
    expect(stored.body.revision).toBe(first.body.revision);
    expect(stored.body.refusal).toBeUndefined();
  });
});

describe('a hazard recorded twice with one key', () => {
  it('by inspection: the same facts are the same hazard, other facts are refused', async () => {
    const marker = `record-${randomUUID().slice(0, 8)}`;
    const request = { idempotencyKey: randomUUID(), ...hazardFacts(marker) };
    const first = await postJson(url('/api/office/hazards'), request, asOfficer());
    expect(first.status).toBe(201);
    const again = await postJson(url('/api/office/hazards'), request, asOfficer());
    expect(again.status).toBe(200);
    expect(again.body.hazard.hazardId).toBe(first.body.hazard.hazardId);
    expectReused(
      await postJson(
        url('/api/office/hazards'),
        { ...request, description: `配电箱柜门敞开，线路裸露。${marker}` },
        asOfficer(),
      ),
    );
    const stored = await get(`/api/office/hazards/${first.body.hazard.hazardId}`);
    expect(stored.body.hazard.description).toContain('灭火器');
    expect(await eventsOf(first.body.hazard.hazardId, 'hazard_reported')).toBe(1);
  });

  it('from a tip: the same facts are the same hazard, other facts are refused', async () => {
    const marker = `fromtip-${randomUUID().slice(0, 8)}`;
    const tip = await newTip(marker);
    const request = {
      idempotencyKey: randomUUID(),
      ...hazardFacts(marker),
      source: 'tip',
      tipId: tip.tipId,
    };
    const first = await postJson(url('/api/office/hazards'), request, asOfficer());
    expect(first.status).toBe(201);
    const again = await postJson(url('/api/office/hazards'), request, asOfficer());
    expect(again.status).toBe(200);
    expectReused(
      await postJson(
        url('/api/office/hazards'),
        { ...request, grade: 'major', standard: { ref: 'GB 35181-2025', clause: '5.1.1' } },
        asOfficer(),
      ),
    );
    const stored = await get(`/api/office/hazards/${first.body.hazard.hazardId}`);
    expect(stored.body.hazard.grade).toBe('general');
  });
});

describe('a hazard command given twice with one key', () => {
  it('the same command is answered again, another command is refused', async () => {
    const hazard = await newHazard(`command-${randomUUID().slice(0, 8)}`);
    const path = url(`/api/office/hazards/${hazard.hazardId}/commands`);
    const request = {
      idempotencyKey: randomUUID(),
      expectedRevision: hazard.revision,
      command: {
        type: 'start_rectification',
        responsible: '王某（企业安全科）',
        measures: '更换灭火器',
        deadline: { workingDays: 10 },
      },
    };
    const first = await postJson(path, request, asOfficer());
    expect(first.status).toBe(200);
    const again = await postJson(path, request, asOfficer());
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(first.body.revision);
    expectReused(
      await postJson(
        path,
        { ...request, command: { ...request.command, measures: '另行采购消防器材' } },
        asOfficer(),
      ),
    );
    const stored = await get(`/api/office/hazards/${hazard.hazardId}`);
    expect(stored.body.hazard.measures).toBe('更换灭火器');
    expect(await eventsOf(hazard.hazardId, 'rectification_started')).toBe(1);
  });

  it("from the enterprise's link: the same update is answered again, another refused", async () => {
    const hazard = await newHazard(`enterprise-${randomUUID().slice(0, 8)}`);
    const link = await postJson(
      url(`/api/office/hazards/${hazard.hazardId}/enterprise-link`),
      { validDays: 60 },
      asOfficer(),
    );
    expect(link.status).toBe(201);
    const plan = {
      goalAndTasks: '清理安全出口，恢复疏散通道畅通',
      methodsAndMeasures: '搬离堵塞货物，划设禁止堆放标线',
      fundsAndMaterials: '企业自筹 2 万元',
      responsibleBodyAndPeople: '企业安全科，负责人王某',
      deadlineAndRequirements: '12 月 31 日前完成并自查',
      safetyAndEmergencyMeasures: '整改期间专人值守，配备灭火器',
    };
    const update = { token: link.body.token, idempotencyKey: randomUUID(), kind: 'plan', plan };
    const path = url('/api/enterprise/hazard/updates');
    const first = await postJson(path, update);
    expect(first.status).toBe(201);
    const again = await postJson(path, update);
    expect(again.status).toBe(200);
    expectReused(
      await postJson(path, { ...update, plan: { ...plan, fundsAndMaterials: '企业自筹 5 万元' } }),
    );
    const stored = await get(`/api/office/hazards/${hazard.hazardId}`);
    expect(JSON.stringify(stored.body)).toContain('企业自筹 2 万元');
    expect(JSON.stringify(stored.body)).not.toContain('企业自筹 5 万元');
    expect(await eventsOf(hazard.hazardId, 'plan_submitted')).toBe(1);
  });
});

describe('a spreadsheet row imported again under its own row number', () => {
  it('the same row stores nothing new, a changed row is refused and stores nothing', async () => {
    const marker = `import-${randomUUID().slice(0, 8)}`;
    const row = {
      rowId: `ZC-${marker}`,
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place: `三号车间 ${marker}`,
      grade: 'general',
      description: `灭火器压力不足，需更换。${marker}`,
    };
    const importRows = (rows: unknown[]) =>
      postJson(
        url('/api/office/hazard-imports'),
        { jurisdiction: 'cq-gecheng', source: 'self_report', rows },
        asOfficer(),
      );
    const first = await importRows([row]);
    expect(first.status).toBe(200);
    expect(first.body.results[0].outcome).toBe('stored');
    const hazardId = first.body.results[0].hazardId;
    const again = await importRows([row]);
    expect(again.body.results[0]).toMatchObject({ outcome: 'already_stored', hazardId });
    const changed = await importRows([
      { ...row, description: `配电箱柜门敞开，线路裸露。${marker}` },
      // The same row, now asking for rectification too: also another row under its number.
      { ...row, responsible: '王某', measures: '更换灭火器', deadline: '2026-12-31' },
    ]);
    for (const result of changed.body.results) {
      expect(result.outcome).toBe('refused');
      expect(result.hazardId).toBeUndefined();
      expect(result.issues[0].path).toBe('rowId');
      expect(result.issues[0].message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(result.issues[0].message.en).toMatch(/[a-z]/i);
    }
    const stored = await get(`/api/office/hazards/${hazardId}`);
    expect(stored.body.hazard.description).toContain('灭火器');
    expect(stored.body.hazard.status).toBe('reported');
    expect(await eventsOf(hazardId, 'rectification_started')).toBe(0);
  });
});
