import { type RouteDefinition, routes } from '@qingling/shared/api/routes.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  type Caller,
  type Fixtures,
  makeFixtures,
  type Reply,
} from '../support/authorization-fixtures.ts';
import { startTestCloud } from '../support/embedded-cloud.ts';
import { validTip } from '../support/tips.ts';

/**
 * A list's cursor is a DynamoDB ExclusiveStartKey the client carries back: whatever it
 * holds, a route answers 400 in the error shape (never 500), and a cursor never reads a
 * partition other than the one the request's filters select. A path with malformed
 * percent-encoding is a 400 too.
 */

const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let api: Api;
const sets: Record<string, Fixtures> = {};
/** A real next-page cursor of cq-gecheng's received tips (more than a page of them). */
let realTipCursor = '';

beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 1_000_000 });
  api = new Api(cloud.url);
  sets[own] = await makeFixtures(api, own, 'CURSOR-OWN');
  sets[other] = await makeFixtures(api, other, 'CURSOR-OTHER');
  await Promise.all(
    Array.from({ length: 50 }, () =>
      api.must('POST', '/api/tips', { body: validTip({ jurisdiction: own }) }),
    ),
  );
  const first = await api.must('GET', `/api/office/tips?jurisdiction=${own}`, {
    as: { role: 'officer', jurisdiction: own },
  });
  realTipCursor = first.body.nextCursor;
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

/** Every route that pages with a cursor, from the route table. */
const listRoutes = routes.filter(
  (route: RouteDefinition) => route.query && 'cursor' in route.query.schema.shape,
);

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const key = (value: unknown) => b64(JSON.stringify(value));

/** Keys shaped like the table's (pk, sk and an index's pk/sk) in some partition. */
const shapedKey = (index: 'gsi1' | 'gsi2', partition: string) =>
  key({ pk: 'TIP#x', sk: 'STATE', [`${index}pk`]: partition, [`${index}sk`]: '2026#x' });

/** Cursors no list ever gave, by kind; plus ones from other lists and jurisdictions. */
function badCursors(caller: string): Record<string, string> {
  const elsewhere = caller === own ? other : own;
  return {
    'not base64 (punctuation)': '!!!***',
    'not base64 (percent)': '%%',
    'not base64 (CJK)': '游标',
    'not base64 (space inside)': 'eyJh IjoxfQ',
    'not base64 (padding in the middle)': 'ey=Jh',
    'base64 of nothing': 'a',
    'base64 of binary': Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64url'),
    'base64 of text': b64('hello'),
    'base64 of broken JSON': b64('{"pk":'),
    'JSON null': key(null),
    'JSON array': key(['pk', 'sk']),
    'JSON number': key(42),
    'JSON string': key('TIPS#cq-gecheng#received'),
    'JSON empty object': key({}),
    'JSON with a number key': key({ pk: 1, sk: 2, gsi1pk: 3, gsi1sk: 4 }),
    'JSON with typed values': key({
      pk: { S: 'TIP#x' },
      sk: { S: 'STATE' },
      gsi1pk: { S: `TIPS#${own}#received` },
      gsi1sk: { S: 'x' },
    }),
    'JSON with an extra key': key({
      pk: 'TIP#x',
      sk: 'STATE',
      gsi1pk: `TIPS#${own}#received`,
      gsi1sk: 'x',
      gsi2pk: 'x',
    }),
    'JSON missing the index sort key': key({ pk: 'TIP#x', sk: 'STATE', gsi1pk: 'x' }),
    'a real tip cursor of cq-gecheng': realTipCursor,
    'another jurisdiction’s inbox': shapedKey('gsi1', `TIPS#${elsewhere}#received`),
    'another jurisdiction’s ledger': shapedKey('gsi1', `HAZARDS#${elsewhere}#reported`),
    'another jurisdiction’s register': shapedKey('gsi1', `ENTERPRISES#${elsewhere}`),
    'another status of the inbox': shapedKey('gsi1', `TIPS#${caller}#accepted`),
    'another status of the ledger': shapedKey('gsi1', `HAZARDS#${caller}#closed`),
    'another enterprise’s file': shapedKey(
      'gsi2',
      `ENTERPRISE#${elsewhere}#${sets[elsewhere]?.uscc}`,
    ),
    'the own code’s file in another jurisdiction': shapedKey(
      'gsi2',
      `ENTERPRISE#${elsewhere}#${sets[caller]?.uscc}`,
    ),
    'the enterprise index under gsi1': shapedKey(
      'gsi1',
      `ENTERPRISE#${caller}#${sets[caller]?.uscc}`,
    ),
    'the outbox or any table partition': key({ pk: 'META', sk: 'STATE' }),
  };
}

/** The route's path and query as the jurisdiction's officer calls it, without a cursor. */
function requestFor(route: RouteDefinition, jurisdiction: string) {
  const f = sets[jurisdiction] as Fixtures;
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'uscc' ? f.uscc : String(route.pathParameters?.example[name]),
  );
  const query = new URLSearchParams(
    'jurisdiction' in (route.query?.schema.shape ?? {}) ? { jurisdiction } : {},
  );
  return { path, query };
}

const shapeOk = (reply: Reply) => {
  expect(reply.body?.error?.code, reply.text).toEqual(expect.any(String));
  expect(reply.body.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(reply.body.error.message.en).toMatch(/[a-z]/);
};

describe('list cursors', () => {
  it('finds the list routes in the route table', () => {
    expect(listRoutes.map((route) => route.operationId).sort()).toEqual(
      expect.arrayContaining(['getEnterprise', 'listEnterprises', 'listHazards', 'listTips']),
    );
  });

  it('pages cq-gecheng’s inbox with its own cursor', async () => {
    expect(realTipCursor).toEqual(expect.any(String));
    const reply = await api.call(
      'GET',
      `/api/office/tips?jurisdiction=${own}&cursor=${encodeURIComponent(realTipCursor)}`,
      { as: { role: 'officer', jurisdiction: own } },
    );
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.tips.length).toBeGreaterThan(0);
  });

  for (const route of listRoutes) {
    for (const jurisdiction of [own, other]) {
      it(`${route.operationId} answers 400 in the error shape to every bad cursor (${jurisdiction})`, async () => {
        const caller: Caller = { role: 'officer', jurisdiction };
        const failures: string[] = [];
        for (const [kind, cursor] of Object.entries(badCursors(jurisdiction))) {
          // cq-gecheng's own cursor is a good one on cq-gecheng's inbox of received tips.
          if (route.operationId === 'listTips' && jurisdiction === own && kind.startsWith('a real'))
            continue;
          const { path, query } = requestFor(route, jurisdiction);
          query.set('cursor', cursor);
          const reply = await api.call('GET', `${path}?${query}`, { as: caller });
          if (reply.status !== 400) failures.push(`${kind}: ${reply.status} ${reply.text}`);
          else shapeOk(reply);
        }
        expect(failures, failures.join('\n')).toEqual([]);
      });
    }
  }
});

describe('paths with malformed percent-encoding', () => {
  const malformed = ['%E0%A4%A', '%', 'a%zz', '%C0%AF'];
  const parameterized: readonly RouteDefinition[] = routes.filter((route) =>
    route.path.includes('{'),
  );

  it('answer 400 in the error shape on every route with a path parameter', async () => {
    const failures: string[] = [];
    for (const route of parameterized) {
      for (const bad of malformed) {
        const path = route.path.replace(/\{\w+\}/g, bad);
        const reply = await api.call(route.method, path, {
          as: { role: 'officer', jurisdiction: own },
          ...(route.request ? { body: route.request.example } : {}),
        });
        if (reply.status !== 400)
          failures.push(`${route.method} ${path}: ${reply.status} ${reply.text}`);
        else shapeOk(reply);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });
});

describe('request targets no URL can be made of', () => {
  it('answers 400 and keeps serving (a bare "//" must not bring the stack down)', async () => {
    const { request } = await import('node:http');
    const raw = (target: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const { port } = new URL(cloud.url);
        const call = request({ host: '127.0.0.1', port, method: 'GET', path: target }, (reply) => {
          let body = '';
          reply.on('data', (chunk) => {
            body += chunk;
          });
          reply.on('end', () => resolve({ status: reply.statusCode ?? 0, body }));
        });
        call.on('error', reject);
        call.end();
      });
    for (const target of ['//', '//[', '//:99999/x']) {
      const reply = await raw(target);
      expect(reply.status, `${target}: ${reply.body}`).toBe(400);
      expect(JSON.parse(reply.body).error.code).toBe('malformed_path');
    }
    expect((await fetch(`${cloud.url}/api/health`)).status).toBe(200);
  });
});
