import { randomUUID } from 'node:crypto';
import { usccCheckCharacter } from '@qingling/shared/enterprises/uscc.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedCloud, startEmbeddedCloud } from '#local/embedded-cloud.ts';
import { ManualClock } from '../support/clock.ts';
import { fixtureSite, signIn, temporaryDataDirectory } from '../support/embedded-cloud.ts';

// Issue 14: a hazard at a place without a credit code (九小场所), and the register searched
// by part of a name, an address or a credit code. Over HTTP, on the embedded cloud.

const jurisdiction = 'cq-gecheng';
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

async function call(method: string, path: string, body?: unknown, as = `${jurisdiction}.officer`) {
  const response = await fetch(`${cloud.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await signIn(cloud.url, as)}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : null } as Reply;
}

const code = (serial: number) => {
  const first17 = `91500000MA${String(serial).padStart(7, '0')}`;
  return `${first17}${usccCheckCharacter(first17)}`;
};

const shop = {
  name: '老王便利店',
  address: '格城区南街 7 号',
  kind: 'shop',
  personInCharge: '王某',
  phone: '023-6123 4567',
};
const hazard = {
  jurisdiction,
  source: 'inspection',
  industry: 'fire',
  place: '店内后门',
  grade: 'general',
  description: '后门被纸箱堵住，无法疏散。',
};

describe('a hazard at a place without a credit code', () => {
  let hazardId = '';

  it('is recorded with the place, and nothing of an enterprise', async () => {
    const reply = await call('POST', '/api/office/hazards', {
      idempotencyKey: randomUUID(),
      ...hazard,
      site: shop,
    });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.hazard.site).toEqual({ ...shop, phone: '02361234567' });
    expect(reply.body.hazard).not.toHaveProperty('enterprise');
    hazardId = reply.body.hazard.hazardId;
  });

  it('is in the ledger and its export under the place name', async () => {
    const list = await call('GET', `/api/office/hazards?jurisdiction=${jurisdiction}`);
    expect(list.status, list.text).toBe(200);
    expect(list.body.hazards).toEqual([
      expect.objectContaining({ hazardId, site: expect.objectContaining({ name: '老王便利店' }) }),
    ]);
    const exported = await call('GET', `/api/office/hazard-ledger?jurisdiction=${jurisdiction}`);
    expect(exported.status, exported.text).toBe(200);
    const row = exported.body.rows[0];
    expect(row[exported.body.columns.indexOf('统一社会信用代码')]).toBe('');
    expect(row[exported.body.columns.indexOf('无信用代码场所')]).toBe(
      '老王便利店（小商店）格城区南街 7 号 负责人 王某 02361234567',
    );
  });

  it('gets an enterprise link for its person in charge to answer through', async () => {
    const reply = await call('POST', `/api/office/hazards/${hazardId}/enterprise-link`, {
      validDays: 7,
    });
    expect(reply.status, reply.text).toBe(201);
    const opened = await fetch(`${cloud.url}/api/enterprise/hazard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: reply.body.token }),
    });
    expect(opened.status).toBe(200);
    expect((await opened.json()).place).toBe('店内后门');
  });

  it('is refused with a bad phone, or with both a place and an enterprise, and nothing is written', async () => {
    const badPhone = await call('POST', '/api/office/hazards', {
      idempotencyKey: randomUUID(),
      ...hazard,
      site: { ...shop, phone: '12345' },
    });
    expect(badPhone.status).toBe(400);
    expect(badPhone.text).toContain('带区号的固定电话');
    expect(badPhone.text).toContain('landline with its area code');
    const both = await call('POST', '/api/office/hazards', {
      idempotencyKey: randomUUID(),
      ...hazard,
      site: shop,
      enterprise: code(1),
    });
    expect(both.status).toBe(400);
    expect(both.text).toContain('二选一');
    const list = await call('GET', `/api/office/hazards?jurisdiction=${jurisdiction}`);
    expect(list.body.hazards).toHaveLength(1);
  });
});

describe('the register, searched', () => {
  const enterprises = [
    { uscc: code(11), name: '格城东门商贸有限公司', address: '格城区东门路 18 号' },
    { uscc: code(12), name: '格城南岸物流有限公司', address: '格城区滨江路 3 号' },
    { uscc: code(13), name: 'ABC 五金店', address: '格城区东门路 40 号' },
  ];

  beforeAll(async () => {
    for (const [index, enterprise] of enterprises.entries()) {
      const reply = await call('POST', '/api/office/enterprises', {
        ...enterprise,
        industry: 'fire',
        jurisdiction,
        principal: { name: '王某', mobile: `1380013800${index}` },
        controller: { name: '赵某', mobile: `1390013900${index}` },
        contacts: [],
      });
      expect(reply.status, reply.text).toBe(201);
    }
  });

  const search = async (q: string) => {
    const reply = await call(
      'GET',
      `/api/office/enterprises?jurisdiction=${jurisdiction}&q=${encodeURIComponent(q)}`,
    );
    expect(reply.status, reply.text).toBe(200);
    return (reply.body.enterprises as { name: string }[]).map((entry) => entry.name);
  };

  it('finds enterprises by part of the name, the address or the credit code', async () => {
    expect(await search('南岸')).toEqual(['格城南岸物流有限公司']);
    expect(await search('东门路')).toEqual(['ABC 五金店', '格城东门商贸有限公司']);
    expect(await search(code(12).slice(8, 17))).toEqual(['格城南岸物流有限公司']);
    expect(await search(code(12).slice(8, 17).toLowerCase())).toEqual(['格城南岸物流有限公司']);
    expect(await search('abc')).toEqual(['ABC 五金店']);
    expect(await search('不存在的名字')).toEqual([]);
  });

  it("never finds another jurisdiction's enterprises", async () => {
    const reply = await call(
      'GET',
      '/api/office/enterprises?jurisdiction=fj-xiamen-xiangan&q=%E4%B8%9C%E9%97%A8',
      undefined,
      'fj-xiamen-xiangan.officer',
    );
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.enterprises).toEqual([]);
  });

  it('refuses an empty or overlong search in zh and en', async () => {
    const empty = await call('GET', `/api/office/enterprises?jurisdiction=${jurisdiction}&q=%20`);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请输入要查找的内容');
    expect(empty.text).toContain('Type something to search for');
    const long = await call(
      'GET',
      `/api/office/enterprises?jurisdiction=${jurisdiction}&q=${'东'.repeat(51)}`,
    );
    expect(long.status).toBe(400);
  });
});
