import { jurisdictionContactsView } from '@qingling/shared/policies/policies.ts';
import { dependencies } from '../dependencies.ts';
import { ApiFailure, apiHandler } from '../http/api-handler.ts';

/**
 * GET /api/admin/jurisdictions/{code}/contacts: the contact lists of one of the caller's
 * jurisdictions, with their version and edit log, for its administrators only (personal
 * data). Read from the store: an administrator sees an edit at once.
 */
export const handler = apiHandler(
  'getJurisdictionContacts',
  async ({ principal, pathParameters }) => {
    const code = pathParameters.code ?? '';
    if (!principal?.jurisdictions.includes(code)) throw new ApiFailure('forbidden');
    const known = await dependencies.jurisdictions();
    if (!known.some((jurisdiction) => jurisdiction.code === code))
      throw new ApiFailure('not_found');
    return jurisdictionContactsView(
      code,
      await dependencies.policyStore().jurisdictionContacts(code),
    );
  },
);
