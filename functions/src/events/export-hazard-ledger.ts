import type { LedgerExportTask } from '@qingling/shared/ports/ledger-exports.ts';
import { runLedgerExport } from '../hazards/ledger-export-worker.ts';

/**
 * The export worker's Lambda (issue 15), invoked asynchronously by the ledger's export
 * route with the job to run: its time is its own (up to 15 minutes), not API Gateway's 30 s.
 */
export const handler = async (event: LedgerExportTask) => {
  const ended = await runLedgerExport({
    jurisdiction: String(event.jurisdiction),
    exportId: String(event.exportId),
  });
  return { exportId: event.exportId, status: ended?.status ?? 'unknown' };
};
