import { jurisdictionContactsView } from '@qingling/shared/policies/policies.ts';
import * as dependencies from '../dependencies.ts';
import { knownJurisdictionOfPath } from '../http/known-jurisdiction.ts';
import { apiHandler } from '../http/policy-api.ts';

/**
 * GET /api/admin/jurisdictions/{code}/contacts: the contact lists of one of the caller's
 * jurisdictions, with their version and edit log, for its administrators only (personal
 * data). Read from the store: an administrator sees an edit at once.
 */
export const handler = apiHandler('getJurisdictionContacts', async ({ pathParameters }) => {
  const code = await knownJurisdictionOfPath(pathParameters);
  return jurisdictionContactsView(
    code,
    await dependencies.policyStore().jurisdictionContacts(code),
  );
});
