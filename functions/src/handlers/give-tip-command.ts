import { defaultTipTimeLimits } from '@qingling/shared/tips/time-limits.ts';
import { TipRuleViolation, tipForOfficer } from '@qingling/shared/tips/tip.ts';
import { giveTipCommand, tipCommandRoles } from '@qingling/shared/tips/triage.ts';
import * as dependencies from '../dependencies.ts';
import { hazardForJurisdictionsOf } from '../hazards/hazard-access.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { personOf } from '../http/principal-actor.ts';
import { apiHandler } from '../http/tip-api.ts';
import { tipForJurisdictionsOf } from '../tips/tip-access.ts';

/**
 * POST /api/office/tips/{tipId}/commands: triage a tip (accept, refuse with a rule's
 * reason, refer, merge, investigate, record the finding, extend verification once,
 * tell the tipster the result, record the case result, compute the reward and approve it
 * as another reward officer), checked against the caller's role and the revision the
 * caller saw; written to the record, then the tip's lifecycle is woken.
 */
export const handler = apiHandler('giveTipCommand', async ({ body, principal, record: tip }) => {
  const tipId = tip.state.tipId;
  const allowed: readonly string[] = tipCommandRoles[body.command.type];
  if (!principal.roles.some((role) => allowed.includes(role))) throw new ApiFailure('forbidden');
  // Records a command names belong to the tip's own jurisdiction (404 for any other).
  if (body.command.type === 'merge') {
    if (body.command.intoTipId === tipId) throw new ApiFailure('invalid_request');
    await tipForJurisdictionsOf(body.command.intoTipId, [tip.state.jurisdiction]);
  }
  if (body.command.type === 'record_finding' && body.command.hazardId) {
    await hazardForJurisdictionsOf(body.command.hazardId, [tip.state.jurisdiction]);
  }
  const policies = dependencies.policies();
  const outcome = await giveTipCommand(
    {
      events: dependencies.eventStore(),
      clock: dependencies.clock(),
      calendar: await policies.calendar(),
      limits: defaultTipTimeLimits,
      workflow: dependencies.tipWorkflow(),
      // Written on a substantiated finding: the policy its reward is computed by.
      ...(body.command.type === 'record_finding' && body.command.finding === 'substantiated'
        ? { rewardPolicy: await policies.rewardPolicy(tip.state.jurisdiction) }
        : {}),
    },
    {
      tipId,
      command: body.command,
      actor: personOf(principal),
      idempotencyKey: body.idempotencyKey,
      expectedRevision: body.expectedRevision,
    },
  ).catch((error: unknown) => {
    if (error instanceof TipRuleViolation) {
      throw new ApiFailure('rule_violated', [{ path: 'command', message: error.text }]);
    }
    throw error;
  });
  if (outcome.kind === 'not_found') throw new ApiFailure('not_found');
  if (outcome.kind === 'conflict') {
    throw new ApiFailure('conflict', undefined, tipForOfficer(outcome.current.state));
  }
  return { status: 200, body: tipForOfficer(outcome.snapshot.state) };
});
