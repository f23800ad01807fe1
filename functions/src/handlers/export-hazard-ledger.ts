import { ledgerColumns, ledgerRows } from '@qingling/shared/hazards/ledger-export.ts';
import {
  askedExport,
  exportFailed,
  exportFailedReason,
  exportFilters,
  ledgerExportId,
  retryKeyOf,
} from '@qingling/shared/hazards/ledger-export-job.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/ledger-export-api.ts';
import { logger } from '../observability/logger.ts';

/**
 * GET /api/office/hazard-ledger: the ledger of one of the caller's jurisdictions as the
 * list's filters show it.
 *
 * format=xlsx or csv: the export is recorded as a job (`running`) and its worker started
 * outside this request (an asynchronous Lambda invocation on AWS, a background task on the
 * embedded cloud), which writes the file however long a large ledger takes; the answer is
 * the job, read back with getHazardLedgerExports until it is done. With an Idempotency-Key
 * header, a retried request names the same job instead of starting another.
 * format=json: the rows in the answer, for small ledgers.
 */
export const handler = apiHandler('exportHazardLedger', async ({ query, principal, headers }) => {
  const { jurisdiction, format } = query;
  const now = dependencies.clock().now();
  if (format === 'json') {
    const all = [];
    for await (const row of ledgerRows(dependencies.hazardLedger(), query, now)) all.push(row);
    return { columns: [...ledgerColumns], rows: all };
  }

  const idempotencyKey = headers['idempotency-key'];
  const store = dependencies.ledgerExports();
  const exportId = ledgerExportId(now);
  const asked = await store.create(
    askedExport({
      exportId,
      jurisdiction,
      format,
      filters: exportFilters(query),
      requestedBy: { id: principal.userId, ...(principal.name ? { name: principal.name } : {}) },
      at: now,
    }),
    idempotencyKey ? retryKeyOf(principal.userId, idempotencyKey) : undefined,
  );
  if (asked.exportId !== exportId) {
    return { export: asked }; // a retry: its job is already under way, or ended
  }
  try {
    await dependencies.startLedgerExport()({ jurisdiction, exportId: asked.exportId });
  } catch (error) {
    // Not started: the job says so at once rather than running forever.
    logger.error('The ledger export worker could not be started', { error });
    const failed = exportFailed(asked, exportFailedReason, now);
    await store.finish(failed);
    return { export: failed };
  }
  return { export: asked };
});
