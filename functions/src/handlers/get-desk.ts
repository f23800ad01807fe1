import {
  deskCounts,
  deskLedgerStatuses,
  deskTipStatuses,
  type LedgerEntry,
  myCases,
} from '@qingling/shared/hazards/desk.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/hazard-api.ts';

/**
 * GET /api/office/desk: a jurisdiction's counts as of the clock. One paged Query per
 * ledger status (grade and deadline projected) and one COUNT per inbox status. "My cases"
 * come from the same reads of the open statuses, for the token's subject (never a user
 * id from the query).
 */
export const handler = apiHandler('getDesk', async ({ query, principal }) => {
  const { jurisdiction } = query;
  const ledger = dependencies.hazardLedger();
  const inbox = dependencies.tipInbox();
  const [entries, tipCounts] = await Promise.all([
    Promise.all(deskLedgerStatuses.map((status) => ledger.entries({ jurisdiction, status }))),
    Promise.all(deskTipStatuses.map((status) => inbox.count({ jurisdiction, status }))),
  ]);
  const now = dependencies.clock().now();
  const byStatus = <Key extends string, Value>(keys: readonly Key[], values: Value[]) =>
    Object.fromEntries(keys.map((key, index) => [key, values[index]])) as Record<Key, Value>;
  const ledgerEntries = byStatus<(typeof deskLedgerStatuses)[number], LedgerEntry[]>(
    deskLedgerStatuses,
    entries,
  );
  return {
    jurisdiction,
    asOf: now.toISOString(),
    ...deskCounts(ledgerEntries, byStatus(deskTipStatuses, tipCounts), now),
    myCases: myCases(ledgerEntries, principal.userId, now),
  };
});
