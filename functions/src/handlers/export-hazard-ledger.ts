import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import type { HazardState } from '@qingling/shared/hazards/hazard.ts';
import {
  type LedgerRow,
  ledgerColumns,
  ledgerCsv,
  ledgerRow,
} from '@qingling/shared/hazards/ledger-export.ts';
import { ledgerFilterOf } from '@qingling/shared/hazards/ledger-filter.ts';
import { ledgerStatuses } from '@qingling/shared/hazards/schemas.ts';
import * as dependencies from '../dependencies.ts';
import { FileReply } from '../http/api-handler.ts';
import { apiHandler } from '../http/hazard-api.ts';

/**
 * GET /api/office/hazard-ledger: the whole ledger of one of the caller's jurisdictions, of
 * one status or of all, with the list's filters, read through the list's own index pages (every page, never a Scan).
 * format=csv answers the file; format=json the rows, which the console writes as .xlsx.
 */
export const handler = apiHandler('exportHazardLedger', async ({ query }) => {
  const { jurisdiction, status, format, ...filters } = query;
  const ledger = dependencies.hazardLedger();
  // The list's own filters: the file holds exactly what the filtered ledger shows.
  const filter = ledgerFilterOf(filters, dependencies.clock().now());
  const states: HazardState[] = [];
  for (const each of status ? [status] : ledgerStatuses) {
    let cursor: string | undefined;
    do {
      const page = await ledger.list({
        jurisdiction,
        status: each,
        limit: 100,
        ...(cursor ? { cursor } : {}),
        filter,
      });
      states.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
  }
  const today = cstDate(dependencies.clock().now());
  const rows: LedgerRow[] = states.map((state, index) => ledgerRow(state, index + 1, today));
  if (format === 'csv') {
    return new FileReply(
      ledgerCsv(rows),
      'text/csv; charset=utf-8',
      `hazard-ledger-${jurisdiction}-${today}.csv`,
    );
  }
  return { columns: [...ledgerColumns], rows };
});
