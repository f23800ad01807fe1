import { jurisdictionContactsView } from '@qingling/shared/policies/policies.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { knownJurisdictionOfPath } from '../http/known-jurisdiction.ts';
import { apiHandler } from '../http/policy-api.ts';
import { logger } from '../observability/logger.ts';

/**
 * PUT /api/admin/jurisdictions/{code}/contacts: an administrator of that jurisdiction sets
 * who its office recipients are (e-mail, mobiles, group robots). The lists replace the
 * stored ones; the write names the version the editor saw (409 with the lists as they are
 * if it changed), and the edit is logged on them: who, when, whose lists. The next
 * notification reads them: nothing to wake, nothing cached.
 */
export const handler = apiHandler(
  'updateJurisdictionContacts',
  async ({ body, principal, pathParameters }) => {
    const code = await knownJurisdictionOfPath(pathParameters);
    const store = dependencies.policyStore();
    const result = await store.putJurisdictionContacts(code, body.contacts, {
      expectedVersion: body.expectedVersion,
      at: dependencies.clock().now().toISOString(),
      by: { userId: principal.userId, name: principal.name },
    });
    if (result === 'conflict') {
      const current = await store.jurisdictionContacts(code);
      throw new ApiFailure('conflict', undefined, jurisdictionContactsView(code, current));
    }
    // Who and when, and whose lists: never a phone, an address or a URL.
    const edit = result.edits.at(-1);
    logger.info('Contact lists edited', {
      jurisdiction: code,
      version: result.version,
      at: result.updatedAt,
      by: principal.userId,
      changed: edit?.changed ?? [],
    });
    return jurisdictionContactsView(code, result);
  },
);
