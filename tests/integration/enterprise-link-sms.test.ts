import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand } from '../support/hazards.ts';
import { postJson } from '../support/tips.ts';

// Issue 14: "the enterprise link is sent by SMS when a hazard is recorded". On the
// embedded cloud, over HTTP: the lifecycle texts each round's link once, to the register's
// principal or a place's person in charge, through the outbox; a retried record request
// sends nothing more; the link opens that hazard; no mobile on file, no message.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
const jurisdiction = 'cq-gecheng';
const uscc = '91350100M000100Y43';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let officer = '';

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  officer = await signIn(cloud.url, `${jurisdiction}.officer`);
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = () => ({ authorization: `Bearer ${officer}` });

const hazardFacts = {
  jurisdiction,
  source: 'inspection',
  industry: 'fire',
  place: '店内后门',
  grade: 'general',
  description: '后门被纸箱堵住，无法疏散。',
};
const shop = {
  name: '老王便利店',
  address: '格城区南街 7 号',
  kind: 'shop',
  personInCharge: '王某',
  phone: '138 0013 8000',
};

/** Records a hazard (the same request twice: a retry) and starts its rectification. */
async function recordAndStart(party: Record<string, unknown>) {
  const request = { idempotencyKey: randomUUID(), ...hazardFacts, ...party };
  const first = await postJson(`${cloud.url}/api/office/hazards`, request, auth());
  expect(first.status, JSON.stringify(first.body)).toBe(201);
  await cloud.conductor.settled();
  const retry = await postJson(`${cloud.url}/api/office/hazards`, request, auth());
  expect(retry.status).toBe(200);
  const hazard = { id: first.body.hazard.hazardId as string, revision: first.body.revision };
  const started = await giveHazardCommand(cloud.url, officer, hazard, {
    type: 'start_rectification',
    responsible: '王某',
    measures: '清理后门',
    deadline: { date: '2026-12-31' },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  await cloud.conductor.settled();
  // The record request once more, after the link went: still nothing new.
  expect((await postJson(`${cloud.url}/api/office/hazards`, request, auth())).status).toBe(200);
  await cloud.conductor.settled();
  return hazard.id;
}

const linkMessages = async (hazardId: string) =>
  (await cloud.outbox.list()).filter((entry) =>
    entry.key.startsWith(`${hazardId}#1#enterprise_link`),
  );

async function hazardPage(hazardId: string) {
  const response = await fetch(`${cloud.url}/api/office/hazards/${hazardId}`, { headers: auth() });
  expect(response.status).toBe(200);
  return (await response.json()).hazard;
}

describe("the enterprise's link by SMS", () => {
  it("reaches a place's person in charge once, says what it is, and opens that hazard", async () => {
    const hazardId = await recordAndStart({ site: shop });
    const messages = await linkMessages(hazardId);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message?.to).toBe(`site_person_in_charge@${hazardId}`);
    expect(message?.contacts).toEqual([{ kind: 'sms', phone: '13800138000' }]);
    expect(message?.body.zh).toContain('老王便利店');
    expect(message?.body.zh).toContain('店内后门');
    expect(message?.body.zh).toContain('2026-12-31');
    expect(message?.body.zh).not.toMatch(/举报|线索/);

    // The link in it is the enterprise page with a token that opens this hazard.
    const link = message?.body.zh.match(/(https?:\/\/\S+\/enterprise\/#(\S+))$/);
    expect(link?.[1]?.startsWith(`${cloud.url}/enterprise/#`)).toBe(true);
    const opened = await postJson(`${cloud.url}/api/enterprise/hazard`, { token: link?.[2] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.hazardId).toBe(hazardId);
    expect(opened.body.deadline).toBe('2026-12-31T16:00:00.000Z');

    expect(await hazardPage(hazardId)).toMatchObject({
      linkTexted: { round: 1, mobileOnFile: true },
    });
  });

  it("reaches a registered enterprise's principal at the register's mobile", async () => {
    const registered = await postJson(
      `${cloud.url}/api/office/enterprises`,
      {
        uscc,
        name: '格城东门商贸有限公司',
        address: '重庆市格城区东门路 18 号',
        industry: 'fire',
        jurisdiction,
        principal: { name: '王某', mobile: '13800138001' },
        controller: { name: '赵某', mobile: '13800138002' },
        contacts: [],
      },
      auth(),
    );
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const hazardId = await recordAndStart({ enterprise: uscc });
    const messages = await linkMessages(hazardId);
    expect(messages.map((entry) => [entry.to, entry.contacts])).toEqual([
      [`enterprise_principal@${jurisdiction}/${uscc}`, [{ kind: 'sms', phone: '13800138001' }]],
    ]);
    expect(messages[0]?.subject.zh).toBe('隐患整改通知：格城东门商贸有限公司（店内后门）');
  });

  it('sends nothing when no mobile is on file, and the hazard page says so', async () => {
    const hazardId = await recordAndStart({ site: { ...shop, phone: '023-6123 4567' } });
    expect(await linkMessages(hazardId)).toEqual([]);
    expect(await hazardPage(hazardId)).toMatchObject({
      linkTexted: { round: 1, mobileOnFile: false },
    });
  });
});
