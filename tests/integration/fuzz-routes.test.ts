import { Agent, request } from 'node:http';
import { apiErrorSchema } from '@qingling/shared/api/errors.ts';
import { type RouteDefinition, routes } from '@qingling/shared/api/routes.ts';
import { roles } from '@qingling/shared/auth/principal.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  type Fixtures,
  makeFixtures,
  recordInputs,
} from '../support/authorization-fixtures.ts';
import { ManualClock } from '../support/clock.ts';
import { startTestCloud } from '../support/embedded-cloud.ts';
import { type FuzzContext, type FuzzRequest, requestArbitrary } from '../support/fuzz-requests.ts';

/**
 * Issue 17: property-based fuzzing of every route of the table, public and office, its
 * body, query and path, over HTTP against the real embedded cloud. No answer may be a 5xx;
 * every refusal of the API is JSON with a stable code and a message in both languages.
 *
 * Replay a failure with the seed printed at the start: FUZZ_SEED=<seed> npx vitest run
 * --project integration tests/integration/fuzz-routes.test.ts (fast-check also prints the
 * seed and the counterexample's path when a property fails). FUZZ_RUNS scales the runs.
 */
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2_147_483_647;
const totalRuns = Number(process.env.FUZZ_RUNS ?? 10_800);
const table: readonly RouteDefinition[] = routes;
const runsPerRoute = Math.ceil(totalRuns / table.length);
const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';

// Time moves only when the test moves it; puzzles are easy; the per-address limit of the
// public routes must not answer in place of the handlers.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let api: Api;
let fixtures: { own: Fixtures; other: Fixtures };
const tokenByRole = new Map<string, string[]>();
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  console.log(
    `fuzz-routes: FUZZ_SEED=${seed}, ${runsPerRoute} requests per route (replay with FUZZ_SEED=${seed})`,
  );
  cloud = await startTestCloud({ publicRequestsPerMinute: 10_000_000, clock, proofOfWorkBits: 4 });
  api = new Api(cloud.url);
  const [ownFixtures, otherFixtures] = await Promise.all([
    makeFixtures(api, own, 'FUZZ-OWN'),
    makeFixtures(api, other, 'FUZZ-OTHER'),
  ]);
  fixtures = { own: ownFixtures, other: otherFixtures };
  for (const role of roles) {
    tokenByRole.set(role, [
      await api.token({ role, jurisdiction: own }),
      await api.token({ role, jurisdiction: other }),
    ]);
  }
}, 120_000);

afterAll(async () => {
  agent.destroy();
  await cloud?.stop();
  await cloud?.removeData();
});

interface Answer {
  status: number;
  text: string;
}

/** Sends the request as it is: raw target, raw headers, raw bytes (node:http, not fetch). */
function send(fuzz: FuzzRequest): Promise<Answer> {
  const url = new URL(cloud.url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: fuzz.method,
        path: fuzz.target,
        headers: {
          ...fuzz.headers,
          ...(fuzz.body ? { 'content-length': String(fuzz.body.length) } : {}),
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(fuzz.body);
  });
}

const statusCounts = new Map<number, number>();
const routeCounts = new Map<string, Record<number, number>>();
let answered = 0;

function describeRequest(fuzz: FuzzRequest, answer: Answer) {
  const body = fuzz.body ? fuzz.body.toString('utf8') : '';
  return [
    `${fuzz.how.join(' | ')}`,
    `${fuzz.method} ${fuzz.target.slice(0, 300)}`,
    `headers ${JSON.stringify(fuzz.headers).slice(0, 300)}`,
    `body (${fuzz.body?.length ?? 0} bytes) ${body.slice(0, 500)}`,
    `→ ${answer.status} ${answer.text.slice(0, 500)}`,
  ].join('\n  ');
}

/** What every answer must be: no 5xx, and a refusal of the API in the API's error shape. */
function check(route: RouteDefinition, fuzz: FuzzRequest, answer: Answer) {
  answered += 1;
  statusCounts.set(answer.status, (statusCounts.get(answer.status) ?? 0) + 1);
  const perRoute = routeCounts.get(route.operationId) ?? {};
  perRoute[answer.status] = (perRoute[answer.status] ?? 0) + 1;
  routeCounts.set(route.operationId, perRoute);
  const what = describeRequest(fuzz, answer);
  expect(answer.status, what).toBeGreaterThanOrEqual(200);
  expect(answer.status, what).toBeLessThan(500);
  // The server resolves dot segments (`/api/x/..`) as any URL parser does: past /api/ the
  // static site answers, with its own pages.
  const pathname = new URL(fuzz.target, cloud.url).pathname;
  if (!pathname.startsWith('/api/')) return;
  // A file the API was asked for (the ledger's CSV export, UTF-8 with a BOM) is no refusal.
  if (answer.status === 200 && answer.text.startsWith('\uFEFF')) return;
  // Nor is a file the route declares it may answer instead of JSON (the statistics' .xlsx:
  // a zip, which starts with PK).
  if (answer.status === 200 && route.response.files?.length && answer.text.startsWith('PK')) {
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    expect.fail(`not JSON:\n  ${what}`);
  }
  if (answer.status < 400) return;
  // API Gateway's own answers, word for word as AWS gives them: no route for this method
  // and path, and the JWT authorizer's refusal of a signed-in route.
  if (answer.status === 404 && JSON.stringify(body) === '{"message":"Not Found"}') return;
  if (
    answer.status === 401 &&
    route.access.kind === 'signedIn' &&
    JSON.stringify(body) === '{"message":"Unauthorized"}'
  ) {
    return;
  }
  const parsed = apiErrorSchema.safeParse(body);
  expect(parsed.success, `not the API's error shape:\n  ${what}`).toBe(true);
  if (!parsed.success) return;
  const { code, message, issues } = parsed.data.error;
  expect(code, what).toMatch(/^[a-z_]+$/);
  expect(message.zh.trim(), what).not.toBe('');
  expect(message.en.trim(), what).not.toBe('');
  for (const issue of issues ?? []) {
    expect(issue.message.zh.trim(), what).not.toBe('');
    expect(issue.message.en.trim(), what).not.toBe('');
  }
}

/**
 * Stands for the current revision of the record the path names, written in just before
 * the request goes: a command with a stale revision is refused (409) before its checks.
 */
const currentRevision = 987_654_321;

async function withCurrentRevision(fuzz: FuzzRequest): Promise<FuzzRequest> {
  const text = fuzz.body?.toString('utf8');
  if (!text?.includes(String(currentRevision))) return fuzz;
  for (const set of [fixtures.own, fixtures.other]) {
    const read = fuzz.target.includes(set.tipId)
      ? `/api/office/tips/${set.tipId}`
      : fuzz.target.includes(set.hazardId)
        ? `/api/office/hazards/${set.hazardId}`
        : null;
    if (!read) continue;
    const reply = await api.call('GET', read, {
      as: { role: 'officer', jurisdiction: set.jurisdiction },
    });
    const revision = reply.body?.revision;
    if (typeof revision !== 'number') return fuzz;
    const body = Buffer.from(text.replaceAll(String(currentRevision), String(revision)), 'utf8');
    return { ...fuzz, body };
  }
  return fuzz;
}

function contextFor(route: RouteDefinition): FuzzContext {
  const records: Record<string, unknown[]> = { expectedRevision: [currentRevision] };
  for (const [name, pick] of Object.entries(recordInputs)) {
    records[name] = [pick(fixtures.own), pick(fixtures.other)];
  }
  const admittedRoles =
    route.access.kind === 'signedIn'
      ? route.access.roles === 'any'
        ? roles
        : route.access.roles
      : [];
  const refusedRoles = roles.filter((role) => !(admittedRoles as readonly string[]).includes(role));
  const tokensOf = (list: readonly string[]) => list.flatMap((role) => tokenByRole.get(role) ?? []);
  return {
    records,
    tokens: {
      admitted: tokensOf(admittedRoles),
      refused: route.access.kind === 'signedIn' ? tokensOf(refusedRoles) : [],
      all: tokensOf(roles),
    },
  };
}

describe('fuzzing every route of the table', () => {
  it.each(
    table.map((route, index) => ({
      label: `${route.method} ${route.path} (${route.operationId})`,
      route,
      index,
    })),
  )(
    '$label: no 5xx, every refusal bilingual',
    async ({ route, index }) => {
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(requestArbitrary(route, contextFor(route)), async (fuzz) => {
          sent += 1;
          // Every few requests a minute passes: the deployment-wide budget of receipt
          // look-ups refills, so that the fuzzer reaches the look-up itself, not only its 429.
          if (sent % 25 === 0) clock.advance(61_000);
          const answer = await send(await withCurrentRevision(fuzz)).catch((error: Error) => {
            throw new Error(`no answer (${error.message}): ${String(fuzz)}`);
          });
          check(route, fuzz, answer);
        }),
        {
          seed: seed + index,
          numRuns: runsPerRoute,
          endOnFailure: process.env.FUZZ_SHRINK !== '1',
        },
      );
    },
    120_000,
  );

  it(`answered at least ${Math.min(totalRuns, 10_000)} requests, none of them a 5xx`, () => {
    const histogram = Object.fromEntries([...statusCounts].sort(([a], [b]) => a - b));
    console.log(`fuzz-routes: FUZZ_SEED=${seed}, ${answered} answers by status`, histogram);
    console.log(
      [...routeCounts]
        .map(([operationId, counts]) => `  ${operationId}: ${JSON.stringify(counts)}`)
        .join('\n'),
    );
    expect(answered).toBeGreaterThanOrEqual(Math.min(totalRuns, 10_000));
    expect([...statusCounts.keys()].filter((status) => status >= 500)).toEqual([]);
  });
});
