import { seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { policiesView } from '@qingling/shared/policies/policies.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/policy-api.ts';

/**
 * GET /api/admin/policies: the calendar years in force (seed merged with the stored ones,
 * each with its version and source) and the warnings they leave, and the escalation
 * ladders of the caller's own jurisdictions. Read from the store, not the cache: an
 * administrator sees an edit at once.
 */
export const handler = apiHandler('getPolicies', async ({ principal }) => {
  const [stored, known] = await Promise.all([
    dependencies.policyStore().read(),
    dependencies.jurisdictions(),
  ]);
  const codes = new Set(known.map((jurisdiction) => jurisdiction.code));
  return policiesView({
    seed: seedCalendar,
    stored,
    jurisdictions: principal.jurisdictions.filter((code) => codes.has(code)),
    now: dependencies.clock().now(),
  });
});
