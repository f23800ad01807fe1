import { recordOfficeTipRoute } from '@qingling/shared/tips/routes.ts';
import { apiHandlerFor } from '../http/api-handler.ts';
import { requireKnownJurisdiction } from '../http/known-jurisdiction.ts';
import { personOf } from '../http/principal-actor.ts';
import { receiveTip } from '../tips/tip-intake.ts';

/**
 * POST /api/office/tips: a tip that came by the 12350 hotline, by letter or in person,
 * entered by an officer into the same inbox. The receipt comes back the same way, for
 * the officer to give the caller; the officer is recorded as who entered it.
 */
export const handler = apiHandlerFor([recordOfficeTipRoute])(
  'recordOfficeTip',
  async ({ body, principal }) => {
    await requireKnownJurisdiction(body.jurisdiction);
    const { channel, ...tip } = body;
    return receiveTip(tip, channel, personOf(principal));
  },
);
