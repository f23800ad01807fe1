import type { LedgerExportJob } from '../hazards/ledger-export-job.ts';

/** Where ledger export jobs are kept: one small item each, by jurisdiction. */
export interface LedgerExportStore {
  /**
   * Records a new job. With a retry key (drawn from who asked and their Idempotency-Key),
   * a job recorded before under the same key is answered instead, and nothing is written.
   */
  create(job: LedgerExportJob, retryKey?: string): Promise<LedgerExportJob>;
  get(jurisdiction: string, exportId: string): Promise<LedgerExportJob | null>;
  /** The jurisdiction's most recent jobs, newest first. */
  recent(jurisdiction: string, limit: number): Promise<LedgerExportJob[]>;
  /** Writes a job's end (done or failed), only over a job still running. */
  finish(job: LedgerExportJob): Promise<void>;
}

/** What a worker is told: which job to run. */
export interface LedgerExportTask {
  jurisdiction: string;
  exportId: string;
}

/**
 * Starts a job's worker outside the asking request and returns at once: an asynchronous
 * Lambda invocation on AWS, a background task on the embedded cloud.
 */
export type LedgerExportStarter = (task: LedgerExportTask) => Promise<void>;
