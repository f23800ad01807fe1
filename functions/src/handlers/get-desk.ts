import { defaultClosurePolicy } from '@qingling/shared/hazards/closure.ts';
import {
  deskCardHazards,
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
 * ledger status (grade, deadline and the leaders' acts projected), one COUNT per inbox
 * status, and the jurisdiction's policy (who signs off a major hazard). With `card`, the
 * hazards behind that count too, picked by the same rule from the same reads: a click on
 * a number opens exactly those hazards. "My cases" come from the same reads, for the
 * token's subject and roles (never a user id from the query).
 */
export const handler = apiHandler('getDesk', async ({ query, principal }) => {
  const { jurisdiction, card } = query;
  const ledger = dependencies.hazardLedger();
  const inbox = dependencies.tipInbox();
  const [entries, tipCounts, policy] = await Promise.all([
    Promise.all(deskLedgerStatuses.map((status) => ledger.entries({ jurisdiction, status }))),
    Promise.all(deskTipStatuses.map((status) => inbox.count({ jurisdiction, status }))),
    dependencies.policies().escalationPolicy(jurisdiction),
  ]);
  const now = dependencies.clock().now();
  const context = {
    now,
    majorSignOff: (policy.closure ?? defaultClosurePolicy).majorSignOff,
  };
  const byStatus = <Key extends string, Value>(keys: readonly Key[], values: Value[]) =>
    Object.fromEntries(keys.map((key, index) => [key, values[index]])) as Record<Key, Value>;
  const ledgerEntries = byStatus<(typeof deskLedgerStatuses)[number], LedgerEntry[]>(
    deskLedgerStatuses,
    entries,
  );
  return {
    jurisdiction,
    asOf: now.toISOString(),
    ...deskCounts(ledgerEntries, byStatus(deskTipStatuses, tipCounts), context),
    myCases: myCases(ledgerEntries, principal, context),
    ...(card
      ? { card: { key: card, hazards: deskCardHazards(ledgerEntries, card, context) } }
      : {}),
  };
});
