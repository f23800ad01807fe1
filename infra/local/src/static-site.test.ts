import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPages, notFoundPage, spaRoutingFunctionCode } from '../../aws/lib/spa-routing.ts';
import { serveStatic } from './static-site.ts';

/** A built site as adapter-static writes it: prerendered pages, the fallback, an asset. */
const site = mkdtempSync(join(tmpdir(), 'qingling-site-'));
const files: Record<string, string> = {
  'index.html': 'home page',
  'en/index.html': 'English home page',
  'report/index.html': 'report page',
  'en/report/index.html': 'English report page',
  '200.html': 'office fallback',
  '_app/immutable/entry/start.js': 'export {};',
  'favicon.svg': '<svg/>',
};
for (const [path, body] of Object.entries(files)) {
  mkdirSync(dirname(join(site, path)), { recursive: true });
  writeFileSync(join(site, path), body);
}

let server: Server;
let origin: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    void serveStatic(site, new URL(request.url ?? '/', 'http://x').pathname, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(site, { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(`${origin}${path}`, { redirect: 'manual' });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.text(),
    headers: response.headers,
  };
};

const clientOnly = [
  '/office',
  '/office/',
  '/office/hazards/h-1',
  '/en/office',
  '/en/office/sign-in',
];
const unknown = [
  '/no-such-page/',
  '/no-such-page',
  '/en/no-such-page/',
  '/report/extra',
  '/officer',
];

describe('the static site of the embedded cloud', () => {
  it('sends the security headers CloudFront adds on AWS, on pages and on 404s', async () => {
    for (const path of ['/', '/office', '/no-such-page/']) {
      const { headers } = await get(path);
      expect(Object.fromEntries(headers), path).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
    }
  });

  it('serves prerendered pages and files as they are', async () => {
    expect(await get('/')).toMatchObject({ status: 200, body: 'home page' });
    expect(await get('/en/report/')).toMatchObject({ status: 200, body: 'English report page' });
    expect(await get('/_app/immutable/entry/start.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
    });
  });

  it('serves the fallback page for the client-only office routes, in either language', async () => {
    for (const path of clientOnly) {
      expect(await get(path), path).toMatchObject({ status: 200, body: 'office fallback' });
    }
  });

  it('answers any other unknown path 404 with a small page in both languages', async () => {
    for (const path of unknown) {
      const answer = await get(path);
      expect(answer, path).toMatchObject({ status: 404, type: 'text/html; charset=utf-8' });
      expect(answer.body, path).toBe(notFoundPage);
    }
    expect(notFoundPage).toContain('找不到这个页面');
    expect(notFoundPage).toContain('Page not found');
  });

  it('answers a missing file 404, not with an HTML page in its place', async () => {
    expect((await get('/_app/immutable/entry/gone.js')).status).toBe(404);
    expect((await get('/gone.png')).status).toBe(404);
  });
});

describe('the CloudFront routing function, on the same site', () => {
  const handler = new Function(
    `${spaRoutingFunctionCode(listPages(site))}\nreturn handler;`,
  )() as (event: {
    request: { uri: string };
  }) => { uri: string } | { statusCode: number; body: { data: string } };
  const route = (uri: string) => handler({ request: { uri } });

  it('sends the office routes to the fallback page and pages to their files', () => {
    for (const path of clientOnly) expect(route(path), path).toEqual({ uri: '/200.html' });
    expect(route('/en/report/')).toEqual({ uri: '/en/report/index.html' });
    expect(route('/')).toEqual({ uri: '/index.html' });
  });

  it('answers any other unknown path itself: 404 with the same page as the embedded cloud', () => {
    for (const path of unknown) {
      expect(route(path), path).toMatchObject({ statusCode: 404, body: { data: notFoundPage } });
    }
  });
});
