import { giveTipCommandRoute } from '@qingling/shared/tips/routes.ts';
import { hazardInJurisdictions } from '../hazards/hazard-scope.ts';
import { apiHandlerFor } from '../http/api-handler.ts';
import { tipLoaders } from '../http/tip-api.ts';
import { runTipCommand } from '../tips/tip-command.ts';

/**
 * POST /api/office/tips/{tipId}/commands: triage a tip (accept, refuse with a rule's
 * reason, refer, merge, investigate, record the finding, extend verification once,
 * tell the tipster the result, record the case result, compute the reward and approve it
 * as another reward officer, record its payment); see runTipCommand.
 */
export const handler = apiHandlerFor([giveTipCommandRoute], tipLoaders)(
  'giveTipCommand',
  async ({ body, principal, record }) =>
    runTipCommand(principal, record, body, { hazardInScope: hazardInJurisdictions }),
);
