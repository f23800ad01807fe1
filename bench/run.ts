import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * npm run bench: measurements of the system, each beside a baseline taken in the same run,
 * written as JSON under bench/results/. Bounded: a few starts, a few seconds each.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDirectory = join(root, 'bench/results');

async function residentKilobytes(pid: number): Promise<number> {
  // The process and all its descendants: the embedded cloud is one process tree.
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  let children: string[] = [];
  try {
    children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8'))
      .split(/\s+/)
      .filter(Boolean);
  } catch {}
  let total = rss;
  for (const child of children) total += await residentKilobytes(Number(child));
  return total;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a program, waits for `ready` on stdout, then measures it at rest and stops it. */
async function measureStart(args: string[], ready: RegExp, restMs: number) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`exited:\n${output}`)));
  });
  const url = /READY (\S+)/.exec(output)?.[1];
  if (url) {
    const health = await fetch(`${url}/api/health`);
    if (!health.ok) throw new Error(`health answered ${health.status}`);
  }
  const readySeconds = (performance.now() - startedAt) / 1000;
  await sleep(restMs);
  const rssMegabytes = (await residentKilobytes(child.pid ?? 0)) / 1024;
  child.removeAllListeners('exit');
  child.kill('SIGINT');
  await new Promise((resolve) => child.on('exit', resolve));
  return { readySeconds, rssMegabytes };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function embeddedCloudStart() {
  const data = await mkdtemp(join(tmpdir(), 'qingling-bench-'));
  // Baseline: a bare Node HTTP server started the same way, in the same run.
  const bareServer = `const s=require('http').createServer((q,r)=>r.end('{}'));s.listen(0,'127.0.0.1',()=>console.log('READY http://127.0.0.1:'+s.address().port))`;
  type Run = Awaited<ReturnType<typeof measureStart>>;
  const runs = { cold: [] as Run[], warm: [] as Run[], baseline: [] as Run[] };
  try {
    const cloudArgs = ['infra/local/src/main.ts', '--port', '0', '--data-dir', data];
    runs.cold.push(await measureStart(cloudArgs, /READY /, 2000));
    for (let run = 0; run < 3; run += 1) {
      runs.warm.push(await measureStart(cloudArgs, /READY /, 2000));
      runs.baseline.push(await measureStart(['-e', bareServer], /READY /, 200));
    }
  } finally {
    await rm(data, { recursive: true, force: true });
  }
  const warmStart = median(runs.warm.map((run) => run.readySeconds));
  const baselineStart = median(runs.baseline.map((run) => run.readySeconds));
  const rss = Math.max(
    ...runs.warm.map((run) => run.rssMegabytes),
    ...runs.cold.map((run) => run.rssMegabytes),
  );
  return {
    what: 'npm start program (infra/local/src/main.ts) until /api/health answers, with the demo data',
    coldStartSeconds: round(runs.cold[0]?.readySeconds ?? Number.NaN),
    warmStartSecondsMedian: round(warmStart),
    baselineBareNodeServerStartSeconds: round(baselineStart),
    warmStartRatioToBaseline: round(warmStart / baselineStart, 1),
    residentMemoryAtRestMegabytes: round(rss, 0),
    baselineBareNodeServerResidentMegabytes: round(
      median(runs.baseline.map((run) => run.rssMegabytes)),
      0,
    ),
    goals: { startSeconds: 10, residentMemoryMegabytes: 400 },
    meetsGoals: Math.max(warmStart, runs.cold[0]?.readySeconds ?? 0) < 10 && rss < 400,
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/**
 * Tip intake on the embedded cloud beside the floor: one raw DynamoDB write to the same
 * dynalite, same process, same run. The goal (p99 ≤ 3× the floor) holds only for an
 * intake of at most two sequential writes.
 */
async function tipIntake() {
  const { startEmbeddedCloud, tableName } = await import('#local/embedded-cloud.ts');
  const { createDocumentClient } = await import('@qingling/shared/adapters/dynamodb/client.ts');
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const { handler } = await import('#functions/handlers/create-tip.ts');
  const data = await mkdtemp(join(tmpdir(), 'qingling-bench-'));
  const cloud = await startEmbeddedCloud({
    dataDirectory: data,
    port: 0,
    publicRequestsPerMinute: 1e9,
  });
  const documents = createDocumentClient();
  const tip = () => ({
    idempotencyKey: crypto.randomUUID(),
    jurisdiction: 'cq-gecheng',
    industry: 'fire',
    address: '东门路 18 号仓库',
    description: '仓库安全出口被货物堵住，消防通道上停满电动车，晚上尤其严重。',
    seenOn: '2026-11-20',
    isEmployee: false,
    wantsReward: false,
    photoCount: 2,
  });
  const event = (body: unknown) =>
    ({
      version: '2.0',
      routeKey: 'POST /api/tips',
      rawPath: '/api/tips',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path: '/api/tips' } },
      body: JSON.stringify(body),
      isBase64Encoded: false,
    }) as never;
  const time = async (action: () => Promise<unknown>) => {
    const start = performance.now();
    await action();
    return performance.now() - start;
  };
  const rounds = 300;
  const raw: number[] = [];
  const intake: number[] = [];
  const overHttp: number[] = [];
  try {
    // Warm both paths, then interleave them so that any drift hits both alike.
    for (let index = 0; index < 30; index += 1) {
      await handler(event(tip()));
      await documents.send(
        new PutCommand({ TableName: tableName, Item: { pk: `BENCH#${index}`, sk: 'x' } }),
      );
    }
    for (let index = 0; index < rounds; index += 1) {
      const item = { pk: `BENCH#raw#${index}`, sk: 'STATE', state: tip(), version: 1 };
      raw.push(
        await time(() => documents.send(new PutCommand({ TableName: tableName, Item: item }))),
      );
      intake.push(await time(() => handler(event(tip()))));
      overHttp.push(
        await time(() =>
          fetch(`${cloud.url}/api/tips`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(tip()),
          }).then((response) => response.text()),
        ),
      );
    }
  } finally {
    await cloud.stop();
    await rm(data, { recursive: true, force: true });
  }
  const summary = (values: number[]) => ({
    p50Ms: round(percentile(values, 50)),
    p99Ms: round(percentile(values, 99)),
  });
  const floor = summary(raw);
  const handlerTimes = summary(intake);
  return {
    what: 'createTip handler on the embedded cloud vs one raw PutItem to the same dynalite',
    requests: rounds,
    rawDynamoWrite: floor,
    intakeHandler: handlerTimes,
    intakeOverHttp: summary(overHttp),
    p99RatioToRawWriteP50: round(handlerTimes.p99Ms / floor.p50Ms, 1),
    p99RatioToRawWriteP99: round(handlerTimes.p99Ms / floor.p99Ms, 1),
    goal: 'intake p99 <= 3x the raw write',
    meetsGoal: handlerTimes.p99Ms <= 3 * floor.p99Ms,
  };
}

/** The officer's lists at 100 and at 100,000 records in one run: bench/ledger.ts. */
async function listLatency() {
  const { listLatency: measure } = await import('./ledger.ts');
  return measure();
}

/** Each handler bundled as CDK bundles it (ESM, minified, AWS SDK from the runtime). */
async function handlerBundles() {
  const { build } = await import('esbuild');
  const { routes } = await import('@qingling/shared/api/routes.ts');
  const entries = [
    ...new Set(routes.map((route) => `functions/src/handlers/${route.handler}.ts`)),
    'functions/src/events/process-photo.ts',
    'functions/src/cognito/pre-token-generation.ts',
  ];
  const sizes: Record<string, number> = {};
  for (const entry of entries) {
    const output = await build({
      entryPoints: [join(root, entry)],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*', 'sharp'],
      write: false,
      logLevel: 'silent',
    });
    sizes[entry.replace(/^functions\/src\//, '')] = output.outputFiles[0]?.contents.byteLength ?? 0;
  }
  const largest = Math.max(...Object.values(sizes));
  return {
    what: 'minified ESM bundle per handler, AWS SDK and sharp (a native layer module) excluded',
    bytes: sizes,
    largestBytes: largest,
    goalBytes: 300 * 1024,
    meetsGoal: largest <= 300 * 1024,
  };
}

/** Page weight and Lighthouse LCP, beside a bare HTML page measured in the same run. */
async function pages() {
  const { startEmbeddedCloud } = await import('#local/embedded-cloud.ts');
  const { measurePages } = await import('./pages.ts');
  const data = await mkdtemp(join(tmpdir(), 'qingling-bench-'));
  const cloud = await startEmbeddedCloud({ dataDirectory: data, port: 0 });
  try {
    return await measurePages({ baseUrl: cloud.url });
  } finally {
    await cloud.stop();
    await rm(data, { recursive: true, force: true });
  }
}

/**
 * Time at scale (bench/time.ts): 10,000 hazards for a simulated year at ×8000 with three
 * kill -9 restarts; about 80 minutes, so it also runs alone (`npm run bench -- timeAtScale`
 * or `node bench/time.ts`) and is written to its own file as well.
 */
async function timeAtScale() {
  const { simulateTime, reportTable } = await import('./time.ts');
  const report = await simulateTime({
    hazards: Number(process.env.BENCH_TIME_HAZARDS ?? 10_000),
    days: 365,
    speed: 8000,
    kills: 3,
    seed: Number(process.env.BENCH_TIME_SEED ?? 20261203),
    log: (line) => console.log(`[timeAtScale] ${line}`),
  });
  await writeFile(join(resultsDirectory, 'time.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(reportTable(report));
  return {
    what: 'npm start program on a ×8000 clock: hazards for a simulated year, decisions, kill -9 restarts (bench/time.ts)',
    ...report,
    meetsGoal: Object.values(report.goals).every(Boolean),
  };
}

const entries: Record<string, () => Promise<unknown>> = {
  embeddedCloudStart,
  tipIntake,
  listLatency,
  handlerBundles,
  pages,
  timeAtScale,
};
// `npm run bench -- pages timeAtScale` runs those entries only.
const chosen = process.argv.slice(2).filter((name) => name in entries);
await mkdir(resultsDirectory, { recursive: true });
const result: Record<string, unknown> = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  machine: { cpus: (await import('node:os')).cpus().length },
};
for (const [name, run] of Object.entries(entries)) {
  if (chosen.length === 0 || chosen.includes(name)) result[name] = await run();
}
const file = join(
  resultsDirectory,
  chosen.length ? `bench-${chosen.join('-')}.json` : 'bench.json',
);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
console.log(`written to ${file}`);
process.exit(0);
