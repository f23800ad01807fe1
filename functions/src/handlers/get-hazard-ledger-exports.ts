import { exportAsOf, type LedgerExportJob } from '@qingling/shared/hazards/ledger-export-job.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/ledger-export-api.ts';

/** How long a download link works: long enough to follow at once, not to pass around. */
const linkSeconds = 15 * 60;
/** The caller's latest jobs shown; read from a few more of the jurisdiction's. */
const shown = 5;
const read = 25;

/**
 * GET /api/office/hazard-ledger/exports: ledger export jobs of one of the caller's
 * jurisdictions, as they are now. With exportId, that job (for anyone of the jurisdiction's
 * office); without, the caller's latest, newest first, so that a page opened again finds
 * its export. A job done gets a fresh short-lived link to its file on every read.
 */
export const handler = apiHandler('getHazardLedgerExports', async ({ query, principal }) => {
  const { jurisdiction, exportId } = query;
  const store = dependencies.ledgerExports();
  const now = dependencies.clock().now();
  let jobs: LedgerExportJob[];
  if (exportId) {
    const job = await store.get(jurisdiction, exportId);
    jobs = job ? [job] : [];
  } else {
    jobs = (await store.recent(jurisdiction, read))
      .filter((job) => job.requestedBy.id === principal.userId)
      .slice(0, shown);
  }
  const files = dependencies.exportFiles();
  const expiresAt = new Date(now.getTime() + linkSeconds * 1000).toISOString();
  return {
    exports: await Promise.all(
      jobs.map(async (stored) => {
        const { key, ...job } = exportAsOf(stored, now);
        if (job.status !== 'done' || !key || !job.fileName) return job;
        const url = await files.downloadUrl(key, {
          fileName: job.fileName,
          expiresInSeconds: linkSeconds,
        });
        return { ...job, url, expiresAt };
      }),
    ),
  };
});
