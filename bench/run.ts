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

await mkdir(resultsDirectory, { recursive: true });
const result = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  machine: { cpus: (await import('node:os')).cpus().length },
  embeddedCloudStart: await embeddedCloudStart(),
};
const file = join(resultsDirectory, 'foundation.json');
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
console.log(`written to ${file}`);
