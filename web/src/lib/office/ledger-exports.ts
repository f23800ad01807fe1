import type { Bilingual } from '@qingling/shared/i18n/text.ts';

/** A ledger export job as the server answers it (getHazardLedgerExports). */
export interface LedgerExportJob {
  exportId: string;
  format: 'xlsx' | 'csv';
  filters: Record<string, string>;
  requestedAt: string;
  status: 'running' | 'done' | 'failed';
  rows?: number;
  fileName?: string;
  reason?: Bilingual;
  url?: string;
}

/** How often a running export is read back: its file takes seconds to a few minutes. */
export const exportPollMs = 2_000;
