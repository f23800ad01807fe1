import { randomUUID } from 'node:crypto';
import type { EnterpriseInput } from '@qingling/shared/enterprises/enterprise.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedCloud, startEmbeddedCloud } from '#local/embedded-cloud.ts';
import { ManualClock } from '../support/clock.ts';
import { fixtureSite, signIn, temporaryDataDirectory } from '../support/embedded-cloud.ts';

// The enterprise register is kept per jurisdiction (issue 17): the same legal entity, under
// one credit code, may be on several registers, and each jurisdiction keeps, edits and
// files hazards against its own record. Nothing of one record shows in another's: not on
// its pages, not in the messages its hazards send. On the embedded cloud, whose outbox
// resolves each message's `to` as AWS's delivery function does.

const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
const uscc = '91350100M000100Y43';
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: EmbeddedCloud;
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;

beforeAll(async () => {
  data = await temporaryDataDirectory();
  cloud = await startEmbeddedCloud({
    dataDirectory: data.path,
    port: 0,
    webRoot: fixtureSite,
    clock,
  });
});
afterAll(async () => {
  await cloud?.stop();
  await data?.remove();
});

// biome-ignore lint/suspicious/noExplicitAny: assertions, not types, check a reply's shape
type Reply = { status: number; text: string; body: any };

async function call(method: string, path: string, as: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${await signIn(cloud.url, as)}`,
  };
  const response = await fetch(`${cloud.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

const officer = (jurisdiction: string) => `${jurisdiction}.officer`;
const recordPath = (jurisdiction: string, code = uscc) =>
  `/api/office/enterprises/${code}?jurisdiction=${jurisdiction}`;

/** Each jurisdiction's own facts about the same enterprise: names, people, mobiles. */
const registered: Record<string, EnterpriseInput> = {
  [own]: {
    uscc,
    name: '格城东门商贸有限公司',
    address: '重庆市格城区东门路 18 号',
    industry: 'fire',
    jurisdiction: own,
    principal: { name: '王某', mobile: '13800138001' },
    controller: { name: '赵某', mobile: '13800138002' },
    contacts: [],
  },
  [other]: {
    uscc,
    name: '翔安东门商贸分公司',
    address: '厦门市翔安区新店镇 6 号',
    industry: 'fire',
    jurisdiction: other,
    principal: { name: '陈某', mobile: '13700137001' },
    controller: { name: '林某', mobile: '13700137002' },
    contacts: [],
  },
};
/** The own jurisdiction's principal, as its officer edits the record. */
const newPrincipal = { name: '周某', mobile: '13600136001' };

const read = async (jurisdiction: string) => {
  const reply = await call('GET', recordPath(jurisdiction), officer(jurisdiction));
  expect(reply.status, reply.text).toBe(200);
  return reply;
};
const othersWords = (jurisdiction: string) => {
  const facts = registered[jurisdiction === own ? other : own];
  return [facts?.name, facts?.address, facts?.principal.mobile, facts?.controller.mobile];
};

async function recordHazard(jurisdiction: string, grade: 'general' | 'major') {
  const reply = await call('POST', '/api/office/hazards', officer(jurisdiction), {
    idempotencyKey: randomUUID(),
    jurisdiction,
    source: 'inspection',
    industry: 'fire',
    enterprise: uscc,
    place: '二号仓库',
    grade,
    ...(grade === 'major'
      ? { standard: { ref: 'GB 35181-2025 重大火灾隐患判定规则', clause: '5.1.1' } }
      : {}),
    description: '仓库安全出口被货物堵死，疏散通道不畅。',
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.hazard.hazardId as string;
}

describe('the enterprise register, per jurisdiction', () => {
  it('registers the same credit code in two jurisdictions, each its own record', async () => {
    for (const jurisdiction of [own, other]) {
      const reply = await call(
        'POST',
        '/api/office/enterprises',
        officer(jurisdiction),
        registered[jurisdiction],
      );
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body).toMatchObject(registered[jurisdiction] ?? {});
    }
    // Registered again in the same jurisdiction: 409 with that jurisdiction's record only.
    const again = await call('POST', '/api/office/enterprises', officer(own), registered[own]);
    expect(again.status, again.text).toBe(409);
    expect(again.body.error.current.name).toBe(registered[own]?.name);
    for (const word of othersWords(own)) expect(again.text).not.toContain(word);

    for (const jurisdiction of [own, other]) {
      const file = await read(jurisdiction);
      expect(file.body.enterprise).toMatchObject(registered[jurisdiction] ?? {});
      for (const word of othersWords(jurisdiction)) expect(file.text).not.toContain(word);
      const list = await call(
        'GET',
        `/api/office/enterprises?jurisdiction=${jurisdiction}`,
        officer(jurisdiction),
      );
      expect(list.body.enterprises).toEqual([
        expect.objectContaining({ uscc, name: registered[jurisdiction]?.name }),
      ]);
    }
    // Another jurisdiction's record is not the caller's to read; the jurisdiction is named.
    expect((await call('GET', recordPath(own), officer(other))).status).toBe(403);
    const unnamed = await call('GET', `/api/office/enterprises/${uscc}`, officer(own));
    expect(unnamed.status, unnamed.text).toBe(400);
    expect(unnamed.body.error.code).toBe('invalid_request');
  });

  it("each edits its own record; the other's stays as it was", async () => {
    const before = { [own]: await read(own), [other]: await read(other) };
    const idempotencyKey = randomUUID();
    const edit = { idempotencyKey, changes: { principal: newPrincipal } };
    clock.advance(60_000);
    const edited = await call('PATCH', recordPath(own), officer(own), edit);
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ ...registered[own], principal: newPrincipal });
    expect(edited.body.updatedAt).toBe(clock.now().toISOString());

    // The same edit retried: answered as before, recorded once.
    clock.advance(60_000);
    const retried = await call('PATCH', recordPath(own), officer(own), edit);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toEqual(edited.body);
    expect((await read(own)).body.enterprise).toEqual(edited.body);

    // The other jurisdiction's record of the same enterprise is untouched.
    expect((await read(other)).body).toEqual(before[other]?.body);

    // Refused, and nothing changes: another jurisdiction's officer, a record that is not on
    // the register, a change of jurisdiction or of code, an empty change, no key.
    const refusals: [string, string, unknown, number][] = [
      [recordPath(own), officer(other), edit, 403],
      [recordPath(own, '91110000600037341L'), officer(own), edit, 404],
      [recordPath(own), officer(own), { idempotencyKey, changes: { jurisdiction: other } }, 400],
      [
        recordPath(own),
        officer(own),
        { idempotencyKey, changes: { uscc: '91110000600037341L' } },
        400,
      ],
      [recordPath(own), officer(own), { idempotencyKey, changes: {} }, 400],
      [recordPath(own), officer(own), { changes: { address: '东门路 20 号' } }, 400],
    ];
    for (const [path, as, body, status] of refusals) {
      const reply = await call('PATCH', path, as, body);
      expect(reply.status, `${path} ${JSON.stringify(body)}: ${reply.text}`).toBe(status);
      expect(reply.body.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(reply.body.error.message.en).toMatch(/[a-z]/);
    }
    expect((await read(own)).body.enterprise).toEqual(edited.body);
    expect((await read(other)).body).toEqual(before[other]?.body);
  });

  it("files each jurisdiction's hazards on its own record only", async () => {
    const hazards: Record<string, string> = {
      [own]: await recordHazard(own, 'general'),
      [other]: await recordHazard(other, 'general'),
    };
    for (const jurisdiction of [own, other]) {
      const file = await read(jurisdiction);
      expect(file.body.hazards.map((hazard: { hazardId: string }) => hazard.hazardId)).toEqual([
        hazards[jurisdiction],
      ]);
      expect(file.text).not.toContain(hazards[jurisdiction === own ? other : own]);
    }
  });

  it("reaches the principal and controller on the hazard's jurisdiction's record", async () => {
    const hazards: Record<string, string> = {
      [own]: await recordHazard(own, 'major'),
      [other]: await recordHazard(other, 'major'),
    };
    await cloud.conductor.settled();
    const outbox = await cloud.outbox.list();
    const reached = (hazardId: string | undefined, recipient: string) =>
      outbox
        .filter((entry) => entry.key === `${hazardId}#major_hazard_recorded#${recipient}`)
        .map((entry) => entry.contacts);
    // The own jurisdiction's edited principal; the other's as registered there.
    expect(reached(hazards[own], 'enterprise_principal')).toEqual([
      [{ kind: 'sms', phone: newPrincipal.mobile }],
    ]);
    expect(reached(hazards[own], 'enterprise_controller')).toEqual([
      [{ kind: 'sms', phone: registered[own]?.controller.mobile }],
    ]);
    expect(reached(hazards[other], 'enterprise_principal')).toEqual([
      [{ kind: 'sms', phone: registered[other]?.principal.mobile }],
    ]);
    expect(reached(hazards[other], 'enterprise_controller')).toEqual([
      [{ kind: 'sms', phone: registered[other]?.controller.mobile }],
    ]);
  });
});
