import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import {
  compressible,
  jsGoalBytes,
  measureWeight,
  pageGoals,
  phoneContext,
  reportPaths,
  type Weight,
} from './page-weight.ts';

/**
 * Page benchmarks for the public pages, each beside a bare HTML page served in the same run
 * (DESIGN.md "Quality bars", the report page's tightened by issue 13: the report page ≤ 45 KB
 * JS gzipped, the other public pages ≤ 60 KB, ≤ 150 KB total before photos, LCP ≤ 1.2 s on
 * Lighthouse's mobile Slow 4G profile and ≤ 1.15× the bare page's; see page-weight.ts).
 *
 * 1. Weight (page-weight.ts, which the public pages' weight test shares): every response of a page
 *    load in Chromium (playwright-core), until the network is idle. The local server does not
 *    compress, so each text body is gzipped here (level 9), which is what a CDN would send;
 *    images and fonts count as they are.
 * 2. Lighthouse's default mobile config (simulated Slow 4G, 4× CPU), performance only, run
 *    round-robin over the baseline and the pages. Lighthouse loads the pages through a small
 *    gzip proxy, so its simulation sees CDN-sized transfers, and the baseline gets the same.
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumFlags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const defaultPaths = process.env.BENCH_PAGES_PATHS?.split(',') ?? [
  '/',
  reportPaths[0],
  '/follow-up/',
  reportPaths[1],
];
const bareFixture = new URL('./fixtures/bare.html', import.meta.url);

export interface MeasurePagesOptions {
  /** Origin of a running embedded cloud (or any deployment), e.g. http://127.0.0.1:8787. */
  baseUrl: string;
  /** Pages to measure; defaults to the public pages. */
  paths?: string[];
  /** Whole-run budget; a third Lighthouse round runs only if it fits. Default 115 s. */
  budgetSeconds?: number;
}

interface LighthouseRuns {
  lcpMsRuns: number[];
  /** LCP as it happened in the unthrottled load the simulation starts from (machine noise). */
  observedLcpMsRuns: number[];
  scoreRuns: number[];
  /** The LCP element of the last run, and its subparts (where the time went). */
  lcpElement?: { selector: string; text: string; subpartsMs: Record<string, number> };
  errors: string[];
}

interface Target {
  label: string;
  /** URL for the weight measurement (the server as it is). */
  directUrl: string;
  /** URL for Lighthouse (behind the gzip proxy). */
  lighthouseUrl: string;
  missing?: string;
  weight?: Weight;
  weightError?: string;
  lighthouse: LighthouseRuns;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const round = (value: number, digits = 0) => Number(value.toFixed(digits));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

// ---------------------------------------------------------------------------------------------
// Servers: the bare page, and a gzip proxy in front of the server under test.

function acceptsGzip(request: IncomingMessage) {
  return /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: Buffer,
) {
  const contentType = String(headers['content-type'] ?? '');
  if (acceptsGzip(request) && compressible(contentType) && body.length > 0) {
    const gzipped = gzipSync(body, { level: 9 });
    response.writeHead(status, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' });
    response.end(request.method === 'HEAD' ? undefined : gzipped);
  } else {
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  }
}

async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(message(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

async function close(server: Server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

function startBareServer(html: Buffer) {
  return listen(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/bare.html') {
      send(request, response, 200, { 'content-type': 'text/html; charset=utf-8' }, html);
    } else {
      send(request, response, 404, { 'content-type': 'text/plain' }, Buffer.from('not found'));
    }
  });
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'upgrade',
  'proxy-connection',
]);

function startGzipProxy(target: string) {
  const targetOrigin = new URL(target).origin;
  return listen(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || hopByHop.has(name) || name === 'host') continue;
      if (name === 'accept-encoding') continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = request.method ?? 'GET';
    const upstream = await fetch(new URL(request.url ?? '/', targetOrigin), {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
      redirect: 'manual',
    });
    const out: Record<string, string | string[]> = {};
    upstream.headers.forEach((value, name) => {
      if (!hopByHop.has(name) && name !== 'set-cookie') out[name] = value;
    });
    const cookies = upstream.headers.getSetCookie();
    if (cookies.length > 0) out['set-cookie'] = cookies;
    const proxyOrigin = `http://${request.headers.host}`;
    if (typeof out.location === 'string' && out.location.startsWith(targetOrigin)) {
      out.location = proxyOrigin + out.location.slice(targetOrigin.length);
    }
    send(request, response, upstream.status, out, Buffer.from(await upstream.arrayBuffer()));
  });
}

// ---------------------------------------------------------------------------------------------
// Is the page there? A prerendered page has its own HTML; a missing one gets 404, or the SPA
// fallback (200.html), which the embedded cloud and CloudFront serve for unknown office paths.

async function whyMissing(url: string, fallbackBody: string | null): Promise<string | undefined> {
  let response: globalThis.Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    return `could not fetch ${url}: ${message(error)}`;
  }
  const body = await response.text();
  if (!response.ok) return `${url} answered HTTP ${response.status}`;
  if (!/html/i.test(response.headers.get('content-type') ?? '')) {
    return `${url} is not HTML (${response.headers.get('content-type')})`;
  }
  if (fallbackBody !== null && body === fallbackBody) {
    return `${url} is served by the SPA fallback (200.html): no prerendered page was built for it`;
  }
  return undefined;
}

async function fallbackBodyOf(baseUrl: string): Promise<string | null> {
  try {
    const response = await fetch(new URL(`/__qingling-bench-${randomUUID()}/`, baseUrl));
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Lighthouse

/**
 * The audits behind the performance score (the score is their weighted mean, so it is the same
 * as the full category's), and two weightless ones that explain the LCP.
 */
const lighthouseAudits = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
  'speed-index',
  'metrics',
  'lcp-breakdown-insight',
];

interface LcpBreakdownDetails {
  items?: {
    type?: string;
    selector?: string;
    nodeLabel?: string;
    items?: { subpart?: string; duration?: number }[];
  }[];
}

/**
 * BENCH_PAGES_LHR_DIR=dir keeps each run's whole Lighthouse result there, with the network
 * requests' observed timings, to see which requests the LCP simulation counted.
 */
const lhrDirectory = process.env.BENCH_PAGES_LHR_DIR;

async function runLighthouse(port: number, url: string, runs: LighthouseRuns) {
  try {
    const result = await lighthouse(url, {
      port,
      logLevel: 'error',
      onlyCategories: ['performance'],
      onlyAudits: lhrDirectory ? [...lighthouseAudits, 'network-requests'] : lighthouseAudits,
      disableFullPageScreenshot: true,
    });
    const lhr = result?.lhr;
    if (!lhr) throw new Error('Lighthouse returned no result');
    if (lhrDirectory) {
      const name = `${new URL(url).pathname.replace(/\W+/g, '_')}-${runs.lcpMsRuns.length}.json`;
      await writeFile(join(lhrDirectory, name), JSON.stringify(lhr));
    }
    if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const lcp = lhr.audits['largest-contentful-paint']?.numericValue;
    const score = lhr.categories.performance?.score;
    if (typeof lcp !== 'number') throw new Error('no LCP in the Lighthouse result');
    runs.lcpMsRuns.push(round(lcp));
    if (typeof score === 'number') runs.scoreRuns.push(round(score * 100));
    const observed = (
      lhr.audits.metrics?.details as { items?: Record<string, unknown>[] } | undefined
    )?.items?.[0]?.observedLargestContentfulPaint;
    if (typeof observed === 'number') runs.observedLcpMsRuns.push(round(observed));
    const breakdown = lhr.audits['lcp-breakdown-insight']?.details as
      | LcpBreakdownDetails
      | undefined;
    const node = breakdown?.items?.find((item) => item.type === 'node');
    const table = breakdown?.items?.find((item) => item.type === 'table');
    if (node) {
      runs.lcpElement = {
        selector: node.selector ?? '',
        text: (node.nodeLabel ?? '').slice(0, 60),
        subpartsMs: Object.fromEntries(
          (table?.items ?? []).map((row) => [row.subpart ?? '?', round(row.duration ?? 0)]),
        ),
      };
    }
    return lhr;
  } catch (error) {
    runs.errors.push(message(error));
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

export async function measurePages(options: MeasurePagesOptions): Promise<object> {
  const startedAt = performance.now();
  const elapsed = () => (performance.now() - startedAt) / 1000;
  const budgetSeconds = options.budgetSeconds ?? 115;
  const paths = options.paths ?? defaultPaths;
  const baseUrl = new URL(options.baseUrl).origin;
  const notes: string[] = [];
  const loadAtStart = round(loadavg()[0] ?? 0, 1);

  const bare = await startBareServer(await readFile(bareFixture));
  const proxy = await startGzipProxy(baseUrl);
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  const baseline: Target = {
    label: 'bare.html',
    directUrl: `${bare.origin}/bare.html`,
    lighthouseUrl: `${bare.origin}/bare.html`,
    lighthouse: { lcpMsRuns: [], observedLcpMsRuns: [], scoreRuns: [], errors: [] },
  };
  const pages: Target[] = paths.map((path) => ({
    label: path,
    directUrl: new URL(path, baseUrl).href,
    lighthouseUrl: new URL(path, proxy.origin).href,
    lighthouse: { lcpMsRuns: [], observedLcpMsRuns: [], scoreRuns: [], errors: [] },
  }));
  let rounds = 0;
  const phaseSeconds = { weights: 0, lighthouseRounds: [] as number[] };
  let lighthouseVersion = '';
  let throttling: unknown;
  const benchmarkIndexes: number[] = [];
  let lighthouseError: string | undefined;
  try {
    const fallbackBody = await fallbackBodyOf(baseUrl);
    for (const page of pages) page.missing = await whyMissing(page.directUrl, fallbackBody);
    const present = pages.filter((page) => !page.missing);
    const targets = [baseline, ...present];

    // 1. Weight, each page in a fresh context (empty cache), a phone-sized viewport.
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
    for (const target of targets) {
      const context = await browser.newContext(phoneContext);
      try {
        target.weight = await measureWeight(context, target.directUrl);
      } catch (error) {
        target.weightError = message(error);
      } finally {
        await context.close();
      }
    }
    await browser.close();
    browser = undefined;
    phaseSeconds.weights = round(elapsed(), 1);

    // 2. Lighthouse, round-robin so that the baseline and the pages share the machine's noise.
    try {
      chrome = await chromeLauncher.launch({
        chromePath: chromiumPath,
        chromeFlags: chromiumFlags,
        logLevel: 'silent',
      });
      const port = chrome.port;
      let roundSeconds = 0;
      for (rounds = 0; rounds < 3; rounds += 1) {
        // Two rounds at least (a median needs them); a third only if it fits the budget.
        if (rounds >= 2 && elapsed() + roundSeconds > budgetSeconds) break;
        const roundStart = elapsed();
        for (const target of targets) {
          const lhr = await runLighthouse(port, target.lighthouseUrl, target.lighthouse);
          if (lhr?.environment.benchmarkIndex)
            benchmarkIndexes.push(lhr.environment.benchmarkIndex);
          if (lhr && !lighthouseVersion) {
            lighthouseVersion = lhr.lighthouseVersion;
            throttling = {
              method: lhr.configSettings.throttlingMethod,
              formFactor: lhr.configSettings.formFactor,
              ...lhr.configSettings.throttling,
            };
          }
        }
        roundSeconds = elapsed() - roundStart;
        phaseSeconds.lighthouseRounds.push(round(roundSeconds, 1));
      }
    } catch (error) {
      lighthouseError = message(error);
    }
  } finally {
    await browser?.close().catch(() => {});
    chrome?.kill();
    await close(bare.server);
    await close(proxy.server);
  }

  const baselineLcp = median(baseline.lighthouse.lcpMsRuns);
  const report = (target: Target) => {
    const lcpMedian = median(target.lighthouse.lcpMsRuns);
    const lcpMsMedian = lcpMedian === null ? null : round(lcpMedian);
    const scoreMedian = median(target.lighthouse.scoreRuns);
    const performanceScore = scoreMedian === null ? null : round(scoreMedian);
    return {
      jsGzipBytes: target.weight?.jsGzipBytes ?? null,
      cssGzipBytes: target.weight?.cssGzipBytes ?? null,
      totalGzipBytes: target.weight?.totalGzipBytes ?? null,
      totalRawBytes: target.weight?.totalRawBytes ?? null,
      requests: target.weight?.requests ?? null,
      lcpMsMedian,
      lcpMsRuns: target.lighthouse.lcpMsRuns,
      observedLcpMsRuns: target.lighthouse.observedLcpMsRuns,
      performanceScore,
      ...(target.lighthouse.lcpElement ? { lcpElement: target.lighthouse.lcpElement } : {}),
      ...(target.weight ? { heaviest: target.weight.heaviest } : {}),
      ...(target.weight?.serviceWorkerInstall.requests
        ? { serviceWorkerInstall: target.weight.serviceWorkerInstall }
        : {}),
      ...(target.weightError ? { weightError: target.weightError } : {}),
      ...(target.lighthouse.errors.length > 0
        ? { lighthouseErrors: target.lighthouse.errors }
        : {}),
    };
  };

  const missing = pages.filter((page) => page.missing);
  notes.push(
    `Lighthouse ${lighthouseVersion || '?'} default mobile config (simulated throttling), performance category; ` +
      `${rounds} run(s) per page, round-robin with the baseline; LCP is the median of the runs (of two runs, their mean).`,
  );
  if (rounds < 3) {
    notes.push(
      `Only ${rounds} Lighthouse runs per page, not 3: a third round did not fit the ${budgetSeconds} s budget on this machine.`,
    );
  }
  notes.push(
    'Lighthouse loads the pages through a gzip proxy (level 9) and the baseline from a gzip server, ' +
      'so its simulation sees what a CDN would send; the local server itself does not compress.',
    'Weights: every response of one page load in Chromium until the network is idle (HTML, CSS, JS, ' +
      'images, fonts, manifest, API answers, the service worker script); text bodies gzipped at level 9, ' +
      'other bodies as they are; HTTP headers not counted. What a service worker fetches on install ' +
      '(precache) is reported apart as serviceWorkerInstall, not in the total.',
    'observedLcpMsRuns: the LCP of the real, unthrottled load that the simulation starts from; when ' +
      "it is far above the baseline's, the machine was busy and the simulated LCP is inflated.",
    'DESIGN.md reference on this profile: bare HTML page ~760 ms, empty SvelteKit page ~1580 ms; ' +
      'compare lcpRatioToBaseline (same run) rather than the absolute numbers across machines.',
  );
  if (lighthouseError) notes.push(`Lighthouse could not run: ${lighthouseError}`);
  for (const page of missing) notes.push(`MISSING ${page.label}: ${page.missing}`);

  return {
    what: 'public pages: transfer weight before photos and Lighthouse mobile (Slow 4G) LCP, beside a bare HTML page',
    baseUrl,
    durationSeconds: round(elapsed(), 1),
    phaseSeconds,
    // Lighthouse's simulation scales the CPU time it observed: a busy machine makes LCP noisy.
    machine: { cpus: cpus().length, loadAverage1mAtStart: loadAtStart },
    lighthouse: {
      version: lighthouseVersion || null,
      runsPerPage: rounds,
      throttling: throttling ?? null,
      // Lighthouse's own measure of this machine's CPU speed, for comparing runs across machines.
      benchmarkIndexMedian: median(benchmarkIndexes),
    },
    baseline: { page: 'bare.html', ...report(baseline) },
    pages: pages.map((page) => {
      if (page.missing) {
        return { path: page.label, missing: true, reason: page.missing, meetsGoals: null };
      }
      const measured = report(page);
      const lcpRatioToBaseline =
        measured.lcpMsMedian !== null && baselineLcp
          ? round(measured.lcpMsMedian / baselineLcp, 2)
          : null;
      const jsGoal = jsGoalBytes(page.label);
      return {
        path: page.label,
        ...measured,
        lcpRatioToBaseline,
        jsGoalBytes: jsGoal,
        meetsGoals: {
          js: measured.jsGzipBytes === null ? null : measured.jsGzipBytes <= jsGoal,
          total:
            measured.totalGzipBytes === null
              ? null
              : measured.totalGzipBytes <= pageGoals.totalGzipBytes,
          lcp: measured.lcpMsMedian === null ? null : measured.lcpMsMedian <= pageGoals.lcpMs,
          lcpRatio:
            lcpRatioToBaseline === null ? null : lcpRatioToBaseline <= pageGoals.lcpRatioToBaseline,
        },
      };
    }),
    goals: pageGoals,
    notes,
  };
}
