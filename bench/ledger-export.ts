import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FileSystemBlobStore } from '@qingling/shared/adapters/local/fs-blob-store.ts';
import type { Jurisdiction } from '@qingling/shared/api/schemas.ts';
import type { HazardState } from '@qingling/shared/hazards/hazard.ts';
import type { HazardLedger } from '@qingling/shared/hazards/ledger.ts';
import {
  askedExport,
  type LedgerExportFormat,
  ledgerExportId,
} from '@qingling/shared/hazards/ledger-export-job.ts';
import type { LedgerExportStore } from '@qingling/shared/ports/ledger-exports.ts';

/**
 * The ledger export at 100,000 rows beside 1,000 in the same run (issue 15: memory must
 * not grow with the rows). Each export runs in a fresh Node process, so that its peak
 * resident memory (the kernel's high-water mark, getrusage maxRSS) is its own: the real
 * export worker (functions/src/hazards/ledger-export-worker.ts, which the export route
 * starts outside its request) running one job over a ledger that
 * makes each page of hazard states as it is asked for (as DynamoDB pages do: nothing of
 * the ledger is held), writing into the embedded cloud's file store (the S3 adapter holds
 * one 5 MiB part more). Reported per export: time, rows per second, the file's size, peak
 * RSS and the V8 heap's high-water mark (sampled every 10 ms), and both minus the process's
 * own before the export began.
 *
 * `node bench/ledger-export.ts` runs it alone; `--rows 20000` shrinks the large side.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const jurisdiction = 'bench-export';

/** One page of hazard states, made when asked for: the ledger's index, without a store. */
function generatedLedger(rows: number): Pick<HazardLedger, 'list'> {
  return {
    async list({ status, limit, cursor }) {
      if (status !== 'rectifying') return { items: [] };
      const from = Number(cursor ?? 0);
      const to = Math.min(rows, from + limit);
      const items: HazardState[] = [];
      for (let index = from; index < to; index += 1) items.push(hazard(index));
      return { items, ...(to < rows ? { nextCursor: String(to) } : {}) };
    },
  };
}

function hazard(index: number): HazardState {
  const day = String((index % 28) + 1).padStart(2, '0');
  return {
    hazardId: `bench${String(index).padStart(21, '0')}`,
    source: 'inspection',
    jurisdiction,
    industry: 'fire',
    enterprise: '91350100M000100Y43',
    place: `${(index % 40) + 1} 号车间`,
    grade: index % 10 === 0 ? 'major' : 'general',
    description: `第 ${index} 处：疏散通道堆放杂物，应急照明损坏，灭火器压力不足，需立即清理并更换。`,
    foundOn: `2026-11-${day}`,
    status: 'rectifying',
    reportedAt: `2026-11-${day}T02:00:00.000Z`,
    responsible: '王某',
    measures: '清理通道，更换灭火器，维修应急照明。',
    round: {
      number: 1,
      deadline: `2026-12-${day}T16:00:00.000Z`,
      startedAt: `2026-11-${day}T03:00:00.000Z`,
    },
    enterpriseUpdates: [],
    revision: 1,
    generation: 1,
    escalations: [],
  } as unknown as HazardState;
}

interface ExportRun {
  format: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  fileMegabytes: number;
  peakRssMegabytes: number;
  rssBeforeMegabytes: number;
  peakHeapMegabytes: number;
  /** V8's heap as committed (what RSS counts): grows with garbage between collections. */
  peakHeapTotalMegabytes: number;
  /** Buffers and other memory outside the V8 heap (zip and file buffers). */
  peakExternalMegabytes: number;
  heapBeforeMegabytes: number;
  /**
   * The V8 heap after a full collection once the export has ended: what it kept. The peaks
   * above count garbage V8 had not yet collected (it lets the heap grow while allocation
   * goes on), this only what is still held.
   */
  liveHeapAfterMegabytes: number;
}

/** In the child process: one export, measured. */
async function exportOnce(format: string, rows: number): Promise<ExportRun> {
  const folder = await mkdtemp(join(tmpdir(), 'qingling-bench-export-'));
  try {
    const { useDependencies } = await import('#functions/dependencies.ts');
    // The export worker (issue 15): what writes the file, outside any request.
    const { runLedgerExport } = await import('#functions/hazards/ledger-export-worker.ts');
    const clock = { now: () => new Date('2026-12-03T06:00:00.000Z') };
    const files = new FileSystemBlobStore({
      root: folder,
      uploadUrl: 'http://127.0.0.1/_local/uploads',
      secret: Buffer.alloc(32, 1),
      clock,
    });
    const name = { code: jurisdiction, zh: '基准辖区', en: 'Bench' } as Jurisdiction;
    const job = askedExport({
      exportId: ledgerExportId(clock.now()),
      jurisdiction,
      format: format as LedgerExportFormat,
      filters: { status: 'rectifying' },
      requestedBy: { id: 'bench' },
      at: clock.now(),
    });
    // The job in memory: the bench measures the file, not the table.
    const jobs = new Map([[job.exportId, job]]);
    const store: LedgerExportStore = {
      create: async (asked) => asked,
      get: async (_jurisdiction, exportId) => jobs.get(exportId) ?? null,
      recent: async () => [...jobs.values()],
      finish: async (ended) => {
        jobs.set(ended.exportId, ended);
      },
    };
    useDependencies({
      clock: () => clock,
      hazardLedger: () => generatedLedger(rows) as never,
      exportFiles: () => files,
      ledgerExports: () => store as never,
      jurisdictions: async () => [name],
    });
    globalThis.gc?.();
    const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));
    const rssBefore = process.memoryUsage().rss;
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    let peakHeapTotal = 0;
    let peakExternal = 0;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peakHeap = Math.max(peakHeap, usage.heapUsed);
      peakHeapTotal = Math.max(peakHeapTotal, usage.heapTotal);
      peakExternal = Math.max(peakExternal, usage.external);
    }, 10);
    const started = performance.now();
    const ended = await runLedgerExport({ jurisdiction, exportId: job.exportId });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    globalThis.gc?.();
    const liveAfter = process.memoryUsage().heapUsed;
    if (ended?.status !== 'done' || !ended.key || !ended.fileName)
      throw new Error(`the export ended ${JSON.stringify(ended)}`);
    if (ended.rows !== rows) throw new Error(`exported ${ended.rows} rows of ${rows}`);
    const url = await files.downloadUrl(ended.key, {
      fileName: ended.fileName,
      expiresInSeconds: 900,
    });
    const download = await files.openDownload(new URL(url).searchParams);
    download.body.destroy();
    return {
      format,
      rows,
      seconds: Number(seconds.toFixed(2)),
      rowsPerSecond: Math.round(rows / seconds),
      fileMegabytes: mb(download.bytes),
      peakRssMegabytes: mb(process.resourceUsage().maxRSS * 1024),
      rssBeforeMegabytes: mb(rssBefore),
      peakHeapMegabytes: mb(peakHeap),
      peakHeapTotalMegabytes: mb(peakHeapTotal),
      peakExternalMegabytes: mb(peakExternal),
      heapBeforeMegabytes: mb(heapBefore),
      liveHeapAfterMegabytes: mb(liveAfter),
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const run = promisify(execFile);

async function inChild(format: string, rows: number): Promise<ExportRun> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), '--child', format, String(rows)],
    { cwd: root, maxBuffer: 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ExportRun;
}

/** The large export beside the small one, each format, each in its own process. */
export async function ledgerExport(largeRows = 100_000, baselineRows = 1_000) {
  const runs: ExportRun[] = [];
  for (const format of ['xlsx', 'csv']) {
    for (const rows of [baselineRows, largeRows]) runs.push(await inChild(format, rows));
  }
  const growth = (format: string) => {
    const [small, large] = runs.filter((each) => each.format === format);
    if (!small || !large) return undefined;
    return {
      peakRssGrowthMegabytes: Number((large.peakRssMegabytes - small.peakRssMegabytes).toFixed(1)),
      peakHeapGrowthMegabytes: Number(
        (large.peakHeapMegabytes - small.peakHeapMegabytes).toFixed(1),
      ),
      liveHeapGrowthMegabytes: Number(
        (large.liveHeapAfterMegabytes - small.liveHeapAfterMegabytes).toFixed(1),
      ),
      rowsRatio: large.rows / small.rows,
    };
  };
  const xlsx = growth('xlsx');
  const csv = growth('csv');
  return {
    what:
      'the export handler writing the ledger (status rectifying) as .xlsx and as CSV into ' +
      'the file store, each export in a fresh process: time and peak memory at ' +
      `${largeRows} rows beside ${baselineRows} (the baseline, same run)`,
    goal: 'peak memory does not grow with the rows (within 32 MB from the baseline to 100x the rows)',
    runs,
    growth: { xlsx, csv },
    meetsGoal: [xlsx, csv].every((each) => each !== undefined && each.peakRssGrowthMegabytes <= 32),
  };
}

const childArgument = process.argv.indexOf('--child');
if (childArgument > 0) {
  const format = process.argv[childArgument + 1] ?? 'xlsx';
  const rows = Number(process.argv[childArgument + 2] ?? 1000);
  console.log(JSON.stringify(await exportOnce(format, rows)));
  process.exit(0);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rowsArgument = process.argv.indexOf('--rows');
  const large = rowsArgument > 0 ? Number(process.argv[rowsArgument + 1]) : 100_000;
  console.log(JSON.stringify(await ledgerExport(large), null, 2));
}
