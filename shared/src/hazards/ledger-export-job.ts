import { createHash, randomBytes } from 'node:crypto';
import type { Bilingual } from '../i18n/text.ts';

/**
 * An export of the ledger as a file (issue 15), asked for and then fetched: writing
 * 100,000 rows as .xlsx takes longer than API Gateway waits for an answer (30 s), so the
 * asking request only records the export (`running`) and starts a worker, which writes
 * the file and records `done` (rows, file name, key) or `failed` (why, in both languages).
 * Whoever of the jurisdiction's office reads it then gets a fresh short-lived link.
 */
export type LedgerExportFormat = 'xlsx' | 'csv';
export type LedgerExportStatus = 'running' | 'done' | 'failed';

export interface LedgerExportJob {
  exportId: string;
  jurisdiction: string;
  format: LedgerExportFormat;
  /** The ledger's filters as asked (status, overdue, the list's filters), strings only. */
  filters: Record<string, string>;
  requestedBy: { id: string; name?: string };
  /** The file is of this moment: its days overdue and its heading's time. */
  requestedAt: string;
  status: LedgerExportStatus;
  rows?: number;
  fileName?: string;
  key?: string;
  finishedAt?: string;
  reason?: Bilingual;
}

/**
 * How long a worker may run (its Lambda timeout, 15 minutes) plus a margin: a job still
 * `running` after this was ended without a word (a timeout, out of memory) and reads as
 * failed.
 */
export const ledgerExportStallMs = 20 * 60_000;

export const exportStalled: Bilingual = {
  zh: '导出未能完成（处理超时），请重新导出。',
  en: 'The export did not finish (it timed out). Please export again.',
};

export const exportFailedReason: Bilingual = {
  zh: '导出失败，文件未生成，请稍后重新导出。',
  en: 'The export failed and no file was written. Please export again later.',
};

/**
 * An id that sorts by time (newest last as text, so a query read backwards lists the
 * newest first): the millisecond in base 36, padded, then 12 random hex digits.
 */
export function ledgerExportId(at: Date): string {
  const time = at.getTime().toString(36).padStart(9, '0');
  return `${time}-${randomBytes(6).toString('hex')}`;
}

/** The same request retried with its Idempotency-Key finds the same export by this key. */
export function retryKeyOf(personId: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${personId}\n${idempotencyKey}`).digest('hex').slice(0, 32);
}

export function askedExport(input: {
  exportId: string;
  jurisdiction: string;
  format: LedgerExportFormat;
  filters: Record<string, string>;
  requestedBy: { id: string; name?: string };
  at: Date;
}): LedgerExportJob {
  return {
    exportId: input.exportId,
    jurisdiction: input.jurisdiction,
    format: input.format,
    filters: input.filters,
    requestedBy: input.requestedBy,
    requestedAt: input.at.toISOString(),
    status: 'running',
  };
}

export class ExportNotRunning extends Error {
  constructor(job: LedgerExportJob) {
    super(`Ledger export ${job.exportId} is ${job.status}, not running`);
    this.name = 'ExportNotRunning';
  }
}

export function exportDone(
  job: LedgerExportJob,
  file: { rows: number; fileName: string; key: string },
  at: Date,
): LedgerExportJob {
  if (job.status !== 'running') throw new ExportNotRunning(job);
  return { ...job, status: 'done', ...file, finishedAt: at.toISOString() };
}

export function exportFailed(job: LedgerExportJob, reason: Bilingual, at: Date): LedgerExportJob {
  if (job.status !== 'running') throw new ExportNotRunning(job);
  return { ...job, status: 'failed', reason, finishedAt: at.toISOString() };
}

/** The job as it reads now: one running past any worker's time has failed. */
export function exportAsOf(job: LedgerExportJob, now: Date): LedgerExportJob {
  if (job.status !== 'running') return job;
  if (now.getTime() - Date.parse(job.requestedAt) <= ledgerExportStallMs) return job;
  const { exportId, jurisdiction, format, filters, requestedBy, requestedAt } = job;
  return {
    exportId,
    jurisdiction,
    format,
    filters,
    requestedBy,
    requestedAt,
    status: 'failed',
    reason: exportStalled,
  };
}

/** The filters an export keeps: the asked query less what is not a filter. */
export function exportFilters(query: Record<string, unknown>): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || ['jurisdiction', 'format', 'cursor'].includes(name)) continue;
    filters[name] = String(value);
  }
  return filters;
}
