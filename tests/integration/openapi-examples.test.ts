import { randomUUID } from 'node:crypto';
import { routes } from '@qingling/shared/api/routes.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';

// The OpenAPI document promises a working example for every operation: run each one, as
// documented, against a fresh embedded cloud, and hold the reply to the documented schema.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let document: {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: { in: string; name: string; schema: { example?: string } }[];
        requestBody?: { content: { 'application/json': { example: unknown } } };
        responses: Record<string, unknown>;
      }
    >
  >;
};

beforeAll(async () => {
  cloud = await startTestCloud();
  document = (await (await fetch(`${cloud.url}/api/openapi.json`)).json()) as typeof document;
});
afterAll(async () => {
  await cloud.stop();
  await cloud.removeData();
});

// Examples that need a tip, a hazard or a link use what an earlier example made (routes run
// in table order).
const learned: {
  receipt?: string;
  tipId?: string;
  hazardId?: string;
  token?: string;
  revision?: number;
} = {};

/**
 * The reward's examples need a reward: before the first, the example tip is verified as
 * substantiated and fined (officer's commands). Its approval is by a second reward officer.
 */
async function prepare(operationId: string) {
  if (operationId !== 'computeReward' || !learned.tipId) return;
  const token = await signIn(cloud.url, 'cq-gecheng.officer');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  for (const command of [
    { type: 'start_investigation' },
    { type: 'record_finding', finding: 'substantiated', note: '现场核查属实' },
    {
      type: 'record_outcome',
      outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
      documentNumber: '渝葛应急罚〔2026〕12号',
    },
  ]) {
    const tip = await fetch(`${cloud.url}/api/office/tips/${learned.tipId}`, { headers });
    const { revision } = (await tip.json()) as { revision: number };
    const reply = await fetch(`${cloud.url}/api/office/tips/${learned.tipId}/commands`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ idempotencyKey: randomUUID(), expectedRevision: revision, command }),
    });
    expect(reply.status).toBe(200);
    learned.revision = ((await reply.json()) as { revision: number }).revision;
  }
}
const signedInAs: Record<string, string> = { approveReward: 'reward_officer_2' };

describe('every documented example request works', () => {
  it.each(routes.map((route) => [route.operationId, route] as const))('%s', async (_id, route) => {
    await prepare(route.operationId);
    const operation = document.paths[route.path]?.[route.method.toLowerCase()];
    if (!operation) throw new Error(`${route.operationId} is not documented`);
    let path: string = route.path;
    const values: Record<string, string> = {};
    const query = new URLSearchParams();
    for (const parameter of operation.parameters ?? []) {
      let example = parameter.schema.example;
      if (parameter.name === 'tipId' && learned.tipId) example = learned.tipId;
      if (parameter.name === 'hazardId' && learned.hazardId) example = learned.hazardId;
      if (example === undefined) {
        if (parameter.in === 'path') throw new Error(`no example for ${parameter.name}`);
        continue;
      }
      values[parameter.name] = example;
      if (parameter.in === 'query') query.set(parameter.name, example);
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(example));
    }
    expect(path).not.toMatch(/[{}]/);
    if (query.size) path = `${path}?${query}`;

    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (route.access.kind === 'signedIn') {
      const role =
        signedInAs[route.operationId] ??
        (route.access.roles === 'any' ? 'officer' : route.access.roles[0]);
      const jurisdiction = values.code ?? 'cq-gecheng';
      headers.authorization = `Bearer ${await signIn(cloud.url, `${jurisdiction}.${role}`)}`;
    }
    let example = operation.requestBody?.content['application/json'].example as
      | Record<string, unknown>
      | undefined;
    if (example && 'receipt' in example && learned.receipt)
      example = { ...example, receipt: learned.receipt };
    if (example && 'token' in example && learned.token)
      example = { ...example, token: learned.token };
    if (example && 'expectedRevision' in example && learned.revision)
      example = { ...example, expectedRevision: learned.revision };
    const response = await fetch(`${cloud.url}${path}`, {
      method: route.method,
      headers,
      ...(example === undefined ? {} : { body: JSON.stringify(example) }),
    });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(route.response.status);
    expect(Object.keys(operation.responses)).toContain(String(route.response.status));
    // The first tip's receipt: the tip whose id the inbox gives (the reward's examples use both).
    if (typeof body.receipt === 'string') learned.receipt ??= body.receipt;
    if (body.tips?.[0]?.tipId) learned.tipId = body.tips[0].tipId;
    if (body.hazard?.hazardId) learned.hazardId = body.hazard.hazardId;
    if (typeof body.token === 'string') learned.token = body.token;
    if (typeof body.revision === 'number') learned.revision = body.revision;
    const parsed = route.response.body.safeParse(body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });
});
