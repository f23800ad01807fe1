import { gzipSync } from 'node:zlib';
import type { BrowserContext, BrowserContextOptions, Response } from 'playwright-core';

/**
 * The weight of a public page as a phone loads it: every response of one page load in
 * Chromium (playwright-core) until the network is idle, the service worker's own script
 * included. The local server does not compress, so each text body is gzipped here (level 9),
 * which is what a CDN would send; images and fonts count as they are. What the service
 * worker fetches on install (its precache, after the page is idle) is counted apart.
 *
 * Shared by bench/pages.ts (the `pages` entry of `npm run bench`) and the weight test of the
 * report and follow-up pages (tests/e2e/tip-report.test.ts), so that the test enforces the
 * bench's goals.
 */

/**
 * The public pages' goals (DESIGN.md "Quality bars", tightened by issue 13 for the report
 * page): JavaScript gzipped, everything gzipped before photos, Lighthouse mobile LCP, and LCP
 * beside a bare HTML page measured in the same run.
 */
export const pageGoals = {
  /** The report page (/report/, /en/report/): the public's way in, on any phone. */
  reportJsGzipBytes: 45 * 1024,
  /** The other public pages. */
  jsGzipBytes: 60 * 1024,
  totalGzipBytes: 150 * 1024,
  lcpMs: 1200,
  lcpRatioToBaseline: 1.15,
} as const;

/** The report page in each language. */
export const reportPaths = ['/report/', '/en/report/'] as const;

/** The JavaScript goal of a page (its path). */
export const jsGoalBytes = (path: string): number =>
  (reportPaths as readonly string[]).includes(path)
    ? pageGoals.reportJsGzipBytes
    : pageGoals.jsGzipBytes;

/** A mid-range phone: the context each page is weighed in. */
export const phoneContext: BrowserContextOptions = {
  viewport: { width: 412, height: 823 },
  deviceScaleFactor: 1.75,
  isMobile: true,
  hasTouch: true,
};

export interface Weight {
  jsGzipBytes: number;
  cssGzipBytes: number;
  totalGzipBytes: number;
  totalRawBytes: number;
  requests: number;
  /** The heaviest responses, to see at a glance what to cut. */
  heaviest: { url: string; type: string; gzipBytes: number }[];
  /** Fetched by the service worker on install, after the page loaded: not in the total. */
  serviceWorkerInstall: { requests: number; gzipBytes: number };
}

export const compressible = (contentType: string) =>
  /^text\/|javascript|ecmascript|json|xml|svg|manifest|wasm/i.test(contentType);

/** What a CDN would send for this body: gzip level 9 for text, the bytes as they are otherwise. */
export const gzipSize = (body: Buffer, contentType: string) =>
  compressible(contentType) && body.length > 0 ? gzipSync(body, { level: 9 }).length : body.length;

async function waitForQuiet(inflight: () => number, quietMs: number) {
  const deadline = Date.now() + 8000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (inflight() > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Weighs one load of `url` in `context` (give it a fresh one: an empty cache), as described
 * above. The public pages' weight test and `npm run bench -- pages` both measure with this.
 */
export async function measureWeight(context: BrowserContext, url: string): Promise<Weight> {
  const page = await context.newPage();
  const responses: Response[] = [];
  let inflight = 0;
  context.on('request', () => {
    inflight += 1;
  });
  const settle = () => {
    inflight = Math.max(0, inflight - 1);
  };
  context.on('requestfinished', settle);
  context.on('requestfailed', settle);
  context.on('response', (response) => {
    responses.push(response);
  });
  const main = await page.goto(url, { waitUntil: 'networkidle', timeout: 30_000 });
  if (!main?.ok()) throw new Error(`${url} answered HTTP ${main?.status()}`);
  // The service worker installs after the page is idle (it precaches); wait for that too.
  await page
    .evaluate(async () => {
      const registration = await navigator.serviceWorker?.getRegistration();
      if (!registration) return;
      await Promise.race([
        navigator.serviceWorker.ready,
        new Promise((resolve) => setTimeout(resolve, 5000)),
      ]);
    })
    .catch(() => {});
  await waitForQuiet(() => inflight, 500);

  const weight: Weight = {
    jsGzipBytes: 0,
    cssGzipBytes: 0,
    totalGzipBytes: 0,
    totalRawBytes: 0,
    requests: 0,
    heaviest: [],
    serviceWorkerInstall: { requests: 0, gzipBytes: 0 },
  };
  const pageUrls = new Set<string>();
  const workerUrls = new Set<string>();
  const items: { url: string; type: string; gzipBytes: number }[] = [];
  // Page requests first, so that a service worker fetching the same URL again is seen as such.
  const ordered = [
    ...responses.filter((response) => !response.request().serviceWorker()),
    ...responses.filter((response) => response.request().serviceWorker()),
  ];
  for (const response of ordered) {
    // A response the service worker gave the page was fetched by the worker itself: the
    // worker's own request is in the list, so this one would count twice.
    if (response.fromServiceWorker()) continue;
    const request = response.request();
    const responseUrl = response.url();
    if (responseUrl.startsWith('data:')) continue;
    const pathname = new URL(responseUrl).pathname;
    // The worker's own scripts belong to the page load; its other fetches (the precache on
    // install) come after the page is idle and are counted apart, each URL once.
    const byWorker = request.serviceWorker() !== null;
    const workerFetch = byWorker && request.resourceType() !== 'script';
    if (workerFetch && (pageUrls.has(responseUrl) || workerUrls.has(responseUrl))) continue;
    const contentType = (await response.headerValue('content-type')) ?? '';
    let body = await response.body().catch(() => Buffer.alloc(0));
    if (body.length === 0 && byWorker && request.method() === 'GET') {
      // Chromium keeps no body for a worker's fetches: fetch the same URL to weigh it.
      body = await fetch(responseUrl)
        .then(async (again) => Buffer.from(await again.arrayBuffer()))
        .catch(() => Buffer.alloc(0));
    }
    const gzipBytes = gzipSize(body, contentType);
    if (workerFetch) {
      workerUrls.add(responseUrl);
      weight.serviceWorkerInstall.requests += 1;
      weight.serviceWorkerInstall.gzipBytes += gzipBytes;
      continue;
    }
    pageUrls.add(responseUrl);
    const isJs = /javascript|ecmascript/i.test(contentType) || /\.m?js$/.test(pathname);
    const type = isJs
      ? 'js'
      : /css/i.test(contentType)
        ? 'css'
        : (contentType.split(';')[0] ?? '').trim() || request.resourceType();
    weight.requests += 1;
    weight.totalGzipBytes += gzipBytes;
    weight.totalRawBytes += body.length;
    if (isJs) weight.jsGzipBytes += gzipBytes;
    if (type === 'css') weight.cssGzipBytes += gzipBytes;
    items.push({ url: pathname, type, gzipBytes });
  }
  weight.heaviest = items.sort((a, b) => b.gzipBytes - a.gzipBytes).slice(0, 5);
  await page.close();
  return weight;
}
