import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import {
  type LedgerExportFilter,
  ledgerCsvLines,
  ledgerFilterNames,
  ledgerRows,
} from '@qingling/shared/hazards/ledger-export.ts';
import {
  exportDone,
  exportFailed,
  exportFailedReason,
  type LedgerExportJob,
} from '@qingling/shared/hazards/ledger-export-job.ts';
import { writeLedgerWorkbook } from '@qingling/shared/hazards/ledger-workbook.ts';
import type { LedgerExportTask } from '@qingling/shared/ports/ledger-exports.ts';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';

const contentTypes = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

/**
 * Writes one job's file: the ledger's rows read page by page through the list's own index
 * query, written as they arrive and streamed into storage (S3 multipart upload on AWS, a
 * file on the embedded cloud), so neither the rows nor the file are ever whole in memory.
 * Answers the number of rows, the file's name and its key.
 */
async function writeFile(job: LedgerExportJob) {
  const { jurisdiction, format } = job;
  const now = new Date(job.requestedAt);
  const filter = { jurisdiction, ...job.filters } as LedgerExportFilter;
  const rows = ledgerRows(dependencies.hazardLedger(), filter, now);
  const fileName = `隐患排查治理台账-${jurisdiction}-${cstDate(now)}.${format}`;
  // A new key per job: an export is a file of its moment, never overwritten.
  const key = `exports/hazard-ledger/${jurisdiction}/${randomUUID()}.${format}`;
  const files = dependencies.exportFiles();
  let count = 0;
  if (format === 'csv') {
    const counted = async function* () {
      for await (const line of ledgerCsvLines(rows)) {
        count += 1;
        yield Buffer.from(line, 'utf8');
      }
    };
    await files.putStream(key, contentTypes.csv, counted());
    count -= 1; // the header line
  } else {
    const file = new PassThrough();
    const jurisdictionName = (await dependencies.jurisdictions()).find(
      (each) => each.code === jurisdiction,
    );
    const writing = writeLedgerWorkbook(
      file,
      {
        jurisdiction,
        ...(jurisdictionName
          ? { jurisdictionName: { zh: jurisdictionName.zh, en: jurisdictionName.en } }
          : {}),
        exportedAt: now,
        filters: ledgerFilterNames(filter),
      },
      rows,
    ).catch((error: unknown) => {
      // The upload sees the failure and aborts: no half file is left to download.
      file.destroy(error as Error);
      throw error;
    });
    [count] = await Promise.all([writing, files.putStream(key, contentTypes.xlsx, file)]);
  }
  return { rows: count, fileName, key };
}

/**
 * The export worker (issue 15): runs a job recorded `running` and records its end, `done`
 * with the file or `failed` with why. A job already ended (a second delivery of the same
 * event) is left as it is.
 */
export async function runLedgerExport(task: LedgerExportTask): Promise<LedgerExportJob | null> {
  const store = dependencies.ledgerExports();
  const job = await store.get(task.jurisdiction, task.exportId);
  if (job?.status !== 'running') return job;
  let ended: LedgerExportJob;
  try {
    ended = exportDone(job, await writeFile(job), dependencies.clock().now());
  } catch (error) {
    logger.error('The ledger export failed', { exportId: job.exportId, error });
    ended = exportFailed(job, exportFailedReason, dependencies.clock().now());
  }
  await store.finish(ended);
  return ended;
}
