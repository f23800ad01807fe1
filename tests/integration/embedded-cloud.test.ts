import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import type { ReplyBody } from '../support/tips.ts';

let cloud: Awaited<ReturnType<typeof startTestCloud>>;
beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(async () => {
  await cloud.stop();
  await cloud.removeData();
});

const getJson = async (path: string, token?: string) => {
  const response = await fetch(`${cloud.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as ReplyBody };
};

describe('the API on the embedded cloud', () => {
  it('answers /api/health with ok and the code and seed versions', async () => {
    const { status, body } = await getJson('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ok: true,
      version: { code: expect.stringMatching(/^\d+\.\d+\.\d+/), data: 'seed-2026-11-1' },
    });
  });

  it('keeps an idle connection for a minute, so a client never reuses one being closed', async () => {
    const response = await fetch(`${cloud.url}/api/health`);
    await response.arrayBuffer();
    // Clients time an idle connection out by this hint, less a margin (Node's default: 5 s).
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('serves the OpenAPI 3.1 document with every route', async () => {
    const { body } = await getJson('/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/openapi.json',
        '/api/me',
        '/api/jurisdictions/{code}',
      ]),
    );
  });

  it('has the five demo jurisdictions seeded, from an index-free Query', async () => {
    const { body } = await getJson('/api/jurisdictions');
    expect(body.jurisdictions.map((j: { code: string }) => j.code).sort()).toEqual([
      'cq-gecheng',
      'cq-wushan-futian',
      'fj-sanming-jiangle-edz',
      'fj-xiamen-xiangan',
      'nm-ordos-dongsheng-tongchuan',
    ]);
  });

  it('answers an unauthenticated request to a signed-in route like API Gateway does', async () => {
    expect((await getJson('/api/me')).status).toBe(401);
    expect((await getJson('/api/me', 'not.a.token')).status).toBe(401);
  });

  it('refuses a token signed by another key', async () => {
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    expect((await getJson('/api/me', forged)).status).toBe(401);
  });

  it('signs a demo user in and shows who they are', async () => {
    const token = await signIn(cloud.url, 'fj-xiamen-xiangan.leader_in_charge');
    const { status, body } = await getJson('/api/me', token);
    expect(status).toBe(200);
    expect(body.principal).toMatchObject({
      roles: ['leader_in_charge'],
      jurisdictions: ['fj-xiamen-xiangan'],
    });
  });

  it('lists one demo user per role in each jurisdiction, a second reward officer and a second officer', async () => {
    const { body } = await getJson('/auth/demo-users');
    expect(body.users).toHaveLength(5 * 8);
  });

  it('lets an administrator edit their jurisdiction once per version; the loser is told', async () => {
    const token = await signIn(cloud.url, 'cq-wushan-futian.administrator');
    const put = (body: unknown, code = 'cq-wushan-futian') =>
      fetch(`${cloud.url}/api/jurisdictions/${code}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const edit = {
      zh: '重庆市巫山县福田镇',
      en: 'Futian',
      units: ['福田村', '新村'],
      expectedVersion: 1,
    };
    // Two officers at once: exactly one wins.
    const [first, second] = await Promise.all([put(edit), put({ ...edit, units: ['别的村'] })]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(((await loser.json()) as ReplyBody).error.message.zh).toContain('已被他人修改');
    const { body } = await getJson('/api/jurisdictions');
    const stored = body.jurisdictions.find((j: { code: string }) => j.code === 'cq-wushan-futian');
    expect(stored.version).toBe(2);

    expect((await put({ ...edit, expectedVersion: 2 }, 'cq-gecheng')).status).toBe(403);
    const bad = await put({ ...edit, units: ['x'.repeat(41)] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ReplyBody).error.issues[0].path).toBe('units.0');
  });

  it('refuses an API body over 1 MB with 413', async () => {
    const response = await fetch(`${cloud.url}/api/jurisdictions/cq-gecheng`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
  });
});

describe('the static site', () => {
  it('serves index.html at / and the fallback page for client-only routes', async () => {
    expect(await (await fetch(`${cloud.url}/`)).text()).toContain('home fixture');
    const office = await fetch(`${cloud.url}/office/some/deep/route`);
    expect(office.status).toBe(200);
    expect(await office.text()).toContain('fallback fixture');
  });

  it('redirects a folder asked for without its slash, as the English pages need', async () => {
    const response = await fetch(`${cloud.url}/en`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/en/');
    expect(await (await fetch(`${cloud.url}/en/`)).text()).toContain('English home fixture');
  });

  it('never serves a file outside the site folder', async () => {
    const response = await fetch(`${cloud.url}/..%2f..%2fpackage.json`);
    expect(await response.text()).not.toContain('"workspaces"');
  });

  it('tells the web app to use the local issuer', async () => {
    expect((await getJson('/config.json')).body).toMatchObject({ auth: { mode: 'local' } });
  });
});

describe('the local blob store enforces its upload policy like S3', () => {
  const upload = async (
    form: { url: string; fields: Record<string, string> },
    file: Blob,
    fieldsOverride: Record<string, string> = {},
  ) => {
    const body = new FormData();
    for (const [name, value] of Object.entries({ ...form.fields, ...fieldsOverride })) {
      body.append(name, value);
    }
    body.append('file', file, 'photo.jpg');
    const response = await fetch(form.url, { method: 'POST', body });
    return { status: response.status, body: (await response.json()) as ReplyBody };
  };
  const policy = (key: string) =>
    cloud.blobStore.createUploadForm({
      key,
      contentTypes: ['image/jpeg'],
      maxBytes: 1024,
      expiresInSeconds: 600,
    });
  const blobFiles = async () => {
    try {
      return await readdir(join(cloud.dataDirectory, 'blobs'), { recursive: true });
    } catch {
      return [];
    }
  };

  it('stores a file within the policy', async () => {
    const form = await policy('tips/t1/photo-1.jpg');
    const result = await upload(form, new Blob([new Uint8Array(1000)], { type: 'image/jpeg' }));
    expect(result.status).toBe(201);
    const stored = await cloud.blobStore.get('tips/t1/photo-1.jpg');
    expect(stored?.bytes.byteLength).toBe(1000);
    expect(stored?.contentType).toBe('image/jpeg');
  });

  it('refuses a file over the size limit with a clear message, and stores nothing', async () => {
    const before = await blobFiles();
    const form = await policy('tips/t2/photo-1.jpg');
    const result = await upload(form, new Blob([new Uint8Array(1025)], { type: 'image/jpeg' }));
    expect(result.status).toBe(413);
    expect(result.body.error.message.zh).toContain('文件过大');
    expect(result.body.error.message.en).toContain('too large');
    expect(await cloud.blobStore.get('tips/t2/photo-1.jpg')).toBeNull();
    expect(await blobFiles()).toEqual(before);
  });

  it('refuses a type the policy does not allow, and stores nothing', async () => {
    const before = await blobFiles();
    const form = await policy('tips/t3/photo-1.jpg');
    const result = await upload(form, new Blob(['<script>'], { type: 'text/html' }));
    expect(result.status).toBe(415);
    expect(result.body.error.message.zh).toContain('不支持该文件类型');
    expect(await blobFiles()).toEqual(before);
  });

  it('refuses a form whose key or policy was changed', async () => {
    const form = await policy('tips/t4/photo-1.jpg');
    const jpeg = new Blob([new Uint8Array(10)], { type: 'image/jpeg' });
    expect((await upload(form, jpeg, { key: 'tips/other/photo.jpg' })).status).toBe(403);
    const raised = JSON.parse(Buffer.from(form.fields.policy ?? '', 'base64url').toString());
    raised.maxBytes = 10_000_000;
    const tampered = Buffer.from(JSON.stringify(raised)).toString('base64url');
    expect((await upload(form, jpeg, { policy: tampered })).status).toBe(403);
    expect(await cloud.blobStore.get('tips/other/photo.jpg')).toBeNull();
  });

  it('refuses a body over the hard limit before reading it', async () => {
    const form = await policy('tips/t5/photo-1.jpg');
    const huge = new Blob([new Uint8Array(26 * 1024 * 1024)], { type: 'image/jpeg' });
    expect((await upload(form, huge)).status).toBe(413);
    expect(await cloud.blobStore.get('tips/t5/photo-1.jpg')).toBeNull();
  });
});

describe('the outbox', () => {
  it('records every notification and shows it on a page, with markup made inert', async () => {
    await cloud.outbox.send({
      key: 'hazard-1#1#notice_letter',
      channel: 'sms',
      to: '13800000000',
      subject: { zh: '函告 <script>alert(1)</script>', en: 'Notice letter' },
      body: { zh: '隐患已超期。', en: 'The hazard is overdue.' },
    });
    const page = await (await fetch(`${cloud.url}/_local/outbox`)).text();
    expect(page).toContain('hazard-1#1#notice_letter');
    expect(page).toContain('函告 &lt;script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    const { body } = await getJson('/_local/outbox.json');
    expect(body.entries).toHaveLength(1);
  });
});

describe('the per-client limit of the public routes', () => {
  it('answers 429 with a Retry-After from its window, and lets the client in after it', async () => {
    const clock = new ManualClock('2026-11-22T08:00:00.000Z');
    const limited = await startTestCloud({ publicRequestsPerMinute: 3, clock });
    try {
      // A malformed receipt: 400 without touching the guessing budget, but it is counted.
      const lookup = () =>
        fetch(`${limited.url}/api/tips/lookup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ receipt: '1' }),
        });
      for (let request = 0; request < 3; request += 1) expect((await lookup()).status).toBe(400);
      clock.advance(20_000);
      const refused = await lookup();
      expect(refused.status).toBe(429);
      const retryAfter = refused.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      // The window opened 20 s ago and lasts 60 s: it frees up in 40 s.
      expect(Number(retryAfter)).toBe(40);
      expect((await refused.json()).error.message.zh).toMatch(/[\u4e00-\u9fff]/);
      clock.advance(39_000);
      const early = await lookup();
      expect(early.status).toBe(429);
      expect(Number(early.headers.get('retry-after'))).toBe(1);
      clock.advance(Number(early.headers.get('retry-after')) * 1000);
      expect((await lookup()).status).toBe(400);
    } finally {
      await limited.stop();
      await limited.removeData();
    }
  });
});
