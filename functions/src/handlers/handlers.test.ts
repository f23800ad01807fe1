import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, demoPrincipal } from '../../../tests/support/api-events.ts';
import { handler as health } from './health.ts';
import { handler as me } from './me.ts';
import { handler as updateJurisdiction } from './update-jurisdiction.ts';

const documents = mockClient(DynamoDBDocumentClient);
const parse = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

beforeEach(() => {
  documents.reset();
  process.env.TABLE_NAME = 'table';
  process.env.AWS_REGION = 'cn-north-1';
  process.env.CODE_VERSION = '9.9.9+test';
});
afterEach(() => documents.reset());

describe('GET /api/health', () => {
  it('reports the code version and the seed version read from the table', async () => {
    documents.on(GetCommand).resolves({ Item: { pk: 'META', sk: 'SEED', version: 'seed-x' } });
    documents.on(QueryCommand).resolves({
      Items: [{ pk: 'JURISDICTION', sk: 'cq-gecheng', data: { code: 'cq-gecheng' }, version: 1 }],
    });
    const result = await health(apiEvent({ path: '/api/health' }));
    expect(result.statusCode).toBe(200);
    expect(parse(result)).toMatchObject({
      ok: true,
      version: { code: '9.9.9+test', data: 'seed-x' },
    });
    expect(Array.isArray(parse(result).warnings)).toBe(true);
  });

  it('answers 503 and ok:false while no jurisdiction exists (the deploy has not seeded)', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [] });
    const result = await health(apiEvent({ path: '/api/health' }));
    expect(result.statusCode).toBe(503);
    expect(parse(result).ok).toBe(false);
    expect(parse(result).warnings[0].code).toBe('no_jurisdictions');
  });

  it('answers 503 and ok:false when the table cannot be read', async () => {
    documents.on(GetCommand).rejects(new Error('connection refused'));
    const result = await health(apiEvent({ path: '/api/health' }));
    expect(result.statusCode).toBe(503);
    expect(parse(result).ok).toBe(false);
  });
});

describe('GET /api/me', () => {
  it('refuses a request without verified claims', async () => {
    const result = await me(apiEvent({ path: '/api/me' }));
    expect(result.statusCode).toBe(401);
    expect(parse(result).error.message.zh).toBe('请先登录。');
  });

  it('answers the principal of the claims', async () => {
    const result = await me(apiEvent({ path: '/api/me', principal: demoPrincipal() }));
    expect(parse(result).principal.jurisdictions).toEqual(['cq-gecheng']);
  });
});

describe('PUT /api/jurisdictions/{code}', () => {
  const update = (body: unknown, principal = demoPrincipal(), code = 'cq-gecheng') =>
    updateJurisdiction(
      apiEvent({
        method: 'PUT',
        path: `/api/jurisdictions/${code}`,
        pathParameters: { code },
        principal,
        ...(typeof body === 'string' ? { rawBody: body } : { body }),
      }),
    );
  const valid = { zh: '葛城街道', en: 'Gecheng', units: ['东门社区'], expectedVersion: 1 };

  it('answers malformed JSON with a bilingual 400 and writes nothing', async () => {
    const result = await update('{"zh":');
    expect(result.statusCode).toBe(400);
    expect(parse(result).error).toMatchObject({
      code: 'bad_json',
      message: { zh: expect.stringContaining('JSON'), en: expect.any(String) },
    });
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers a body that fails the schema with the field in error and writes nothing', async () => {
    const result = await update({ ...valid, units: 'not a list', extra: true });
    expect(result.statusCode).toBe(400);
    expect(parse(result).error.issues.map((issue: { path: string }) => issue.path)).toContain(
      'units',
    );
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('normalises full-width input (NFKC) before storing', async () => {
    documents
      .on(UpdateCommand)
      .resolves({ Attributes: { data: { code: 'cq-gecheng' }, version: 2 } });
    await update({ ...valid, en: 'Ｇｅｃｈｅｎｇ　' });
    const input = documents.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ExpressionAttributeValues?.[':en']).toBe('Gecheng');
  });

  it('refuses an administrator of another jurisdiction, and other roles', async () => {
    const other = await update(valid, demoPrincipal({ jurisdictions: ['fj-xiamen-xiangan'] }));
    expect(other.statusCode).toBe(403);
    const officer = await update(valid, demoPrincipal({ roles: ['officer'] }));
    expect(officer.statusCode).toBe(403);
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers 409 when the version moved on, 404 when there is no such jurisdiction', async () => {
    documents
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    documents
      .on(GetCommand)
      .resolvesOnce({
        Item: { pk: 'JURISDICTION', data: { code: 'cq-gecheng', zh: '葛城街道' }, version: 3 },
      })
      .resolvesOnce({});
    const conflict = await update(valid);
    expect(conflict.statusCode).toBe(409);
    // The record as it is now, for the page to show.
    expect(parse(conflict).error.current).toMatchObject({ code: 'cq-gecheng', version: 3 });
    expect((await update(valid)).statusCode).toBe(404);
  });

  it('refuses a unit listed twice, saying so in both languages, and writes nothing', async () => {
    const result = await update({ ...valid, units: ['东门社区', '西门社区', '东门社区'] });
    expect(result.statusCode).toBe(400);
    expect(parse(result).error.issues).toContainEqual({
      path: 'units',
      message: { zh: '下辖单位不能重复。', en: 'Each unit may be listed only once.' },
    });
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers 500 without details when the table fails unexpectedly', async () => {
    documents.on(UpdateCommand).rejects(new Error('throttled: internal detail'));
    const result = await update(valid);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('internal detail');
  });
});
