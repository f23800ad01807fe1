import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstStart as measureFirstStart } from '../scripts/first-start.ts';

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

// Baseline: a bare Node HTTP server started the same way, in the same run.
const bareServer = `const s=require('http').createServer((q,r)=>r.end('{}'));s.listen(0,'127.0.0.1',()=>console.log('READY http://127.0.0.1:'+s.address().port))`;

async function embeddedCloudStart() {
  const data = await mkdtemp(join(tmpdir(), 'qingling-bench-'));
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

/**
 * The whole first `npm start` of a fresh checkout, web build included (scripts/first-start.ts:
 * a copy of the working tree without web/build, the compiled messages or .data, its
 * node_modules linked to this checkout's packages). One start: it takes a build's time.
 */
async function firstStart() {
  const loadAverage = loadavg()[0] ?? Number.NaN;
  const start = await measureFirstStart();
  if (start.healthSeconds === undefined)
    throw new Error(`npm start did not answer:\n${start.output}`);
  const baseline = await measureStart(['-e', bareServer], /READY /, 200);
  return {
    what: 'first `npm start` of a fresh checkout until /api/health answers, and the lines it printed by then',
    seconds: round(start.healthSeconds, 1),
    outputLines: start.lines,
    baselineBareNodeServerStartSeconds: round(baseline.readySeconds),
    loadAverageBefore: round(loadAverage, 1),
    output: start.output.split('\n'),
    goals: { seconds: 15, outputLines: 25 },
    meetsGoal: start.healthSeconds <= 15 && start.lines <= 25,
  };
}

/**
 * Tip intake over HTTP on the embedded cloud at 1 and 20 connections, beside raw PutItem
 * to the same dynalite at 1 and 20, and the DynamoDB calls each tip makes (bench/tip-intake.ts).
 */
async function tipIntake() {
  const { measureTipIntake } = await import('./tip-intake.ts');
  return measureTipIntake();
}

/** CPU per DynamoDB call, the SDK client over HTTP vs in-process to dynalite: bench/dynamo-transport.ts. */
async function dynamoTransport() {
  const { measureDynamoTransport } = await import('./dynamo-transport.ts');
  return measureDynamoTransport();
}

/** The officer's lists at 1,000 and at 100,000 records, and the filtered ledger, in one run: bench/ledger.ts. */
async function listLatency() {
  const { listLatency: measure } = await import('./ledger.ts');
  return measure();
}

/** The statistics dashboard at 1,000 and at 100,000 hazards in one run: bench/statistics.ts. */
/** The ledger export at 100,000 rows beside 1,000, time and peak memory: bench/ledger-export.ts. */
async function ledgerExport() {
  const { ledgerExport: measure } = await import('./ledger-export.ts');
  return measure();
}

async function statisticsLatency() {
  const { statisticsLatency: measure } = await import('./statistics.ts');
  return measure();
}

/**
 * Each Lambda function's bundle as CDK builds it (ESM, minified, AWS SDK from the runtime):
 * its size, and its module initialisation, the cold-start proxy: a fresh Node process
 * imports it cold, first its externals (the runtime's AWS SDK, sharp), then its own code;
 * medians, beside an empty module imported the same way (bench/handler-bundles.ts).
 */
async function handlerBundles() {
  const { bundleAll, bundleGoalBytes, bundleName, initGoalMs, measureInit } = await import(
    './handler-bundles.ts'
  );
  const built = await bundleAll();
  const init = await measureInit(built, Number(process.env.BENCH_INIT_REPETITIONS ?? 5));
  const bundles = Object.fromEntries(
    [...built]
      .sort((a, b) => b.bytes - a.bytes)
      .map((bundle) => {
        const largest = Object.entries(bundle.bytesBySource)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4);
        const { ownMs, externalsMs, totalMs } = init.bundles[bundle.entry] ?? {
          ownMs: 0,
          externalsMs: 0,
          totalMs: 0,
        };
        return [
          bundleName(bundle.entry),
          {
            bytes: bundle.bytes,
            kib: round(bundle.bytes / 1024, 1),
            initMs: ownMs,
            externalsInitMs: externalsMs,
            totalInitMs: totalMs,
            externals: bundle.externals.filter((path) => !path.startsWith('node:')),
            largestSourcesKib: Object.fromEntries(
              largest.map(([source, bytes]) => [source, round(bytes / 1024, 1)]),
            ),
          },
        ];
      }),
  );
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const middle = (values: number[]) => values[Math.floor(values.length / 2)] ?? 0;
  const sizes = sorted(built.map((bundle) => bundle.bytes));
  const inits = sorted(Object.values(init.bundles).map((time) => time.ownMs));
  const totals = sorted(Object.values(init.bundles).map((time) => time.totalMs));
  return {
    what:
      'minified ESM bundle per Lambda function, AWS SDK and sharp excluded as CDK bundles; ' +
      'initMs: median ms a fresh Node process takes to evaluate the bundle once its ' +
      'externals are loaded; totalInitMs: with loading the externals (the runtime’s SDK)',
    count: built.length,
    largestBytes: sizes.at(-1) ?? 0,
    medianBytes: middle(sizes),
    slowestInitMs: inits.at(-1) ?? 0,
    medianInitMs: middle(inits),
    slowestTotalInitMs: totals.at(-1) ?? 0,
    medianTotalInitMs: middle(totals),
    baselineEmptyModule: init.baseline,
    goalBytes: bundleGoalBytes,
    goalInitMs: initGoalMs,
    goal: 'every bundle <= 150 KiB minified and its own module initialisation <= 100 ms',
    meetsGoal:
      sizes.every((bytes) => bytes <= bundleGoalBytes) && inits.every((ms) => ms <= initGoalMs),
    bundles,
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

/**
 * An escalation burst (bench/escalation-burst.ts): 300 hazards whose notice letter falls due
 * at one instant, on the embedded cloud at ×8000, three times (about 2 minutes); beside raw
 * PutItem to the same dynalite.
 */
async function escalationBurst() {
  const { measureEscalationBurst } = await import('./escalation-burst.ts');
  return measureEscalationBurst({
    hazards: Number(process.env.BENCH_BURST_HAZARDS ?? 300),
    log: (line) => console.log(`[escalationBurst] ${line}`),
  });
}

const entries: Record<string, () => Promise<unknown>> = {
  embeddedCloudStart,
  firstStart,
  tipIntake,
  dynamoTransport,
  listLatency,
  ledgerExport,
  statisticsLatency,
  handlerBundles,
  pages,
  escalationBurst,
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
const file = join(
  resultsDirectory,
  chosen.length ? `bench-${chosen.join('-')}.json` : 'bench.json',
);
// Entries that run handlers in this process set the functions' adapters (an embedded
// cloud's clock, a dynalite client); each entry starts from the ones found here, so one
// entry never reaches into another's stopped cloud.
const { dependencies, useDependencies } = await import('#functions/dependencies.ts');
const initialDependencies = { ...dependencies };
let failed = 0;
for (const [name, run] of Object.entries(entries)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  useDependencies(initialDependencies);
  try {
    result[name] = await run();
  } catch (error) {
    // A failing entry is recorded and the others still run: a long run keeps its numbers.
    failed += 1;
    result[name] = {
      failed: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
    console.error(`[${name}] failed:`, error);
  }
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
}
console.log(JSON.stringify(result, null, 2));
if (failed > 0) process.exitCode = 1;
