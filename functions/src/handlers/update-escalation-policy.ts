import { escalationLadderView } from '@qingling/shared/policies/policies.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { knownJurisdictionOfPath } from '../http/known-jurisdiction.ts';
import { apiHandler } from '../http/policy-api.ts';
import { logger } from '../observability/logger.ts';

/** Lifecycles woken at a time after an edit. */
const parallelWakes = 16;

/**
 * PUT /api/admin/jurisdictions/{code}/escalation-policy: an administrator of that
 * jurisdiction sets its ladder. It applies to the steps not yet recorded: a step is keyed
 * by (hazard, round, step), so a step that fired never fires again, and the steps still to
 * come move to the new days. The jurisdiction's running lifecycles are woken to plan again
 * now, so a step moved earlier is not held back to the old day.
 */
export const handler = apiHandler(
  'updateEscalationPolicy',
  async ({ body, principal, pathParameters }) => {
    const code = await knownJurisdictionOfPath(pathParameters);
    const { expectedVersion, ...settings } = body;
    const store = dependencies.policyStore();
    const result = await store.putEscalationPolicy(code, settings, {
      expectedVersion,
      at: dependencies.clock().now().toISOString(),
      by: { userId: principal.userId, name: principal.name },
    });
    if (result === 'conflict') {
      const stored = (await store.read()).escalationPolicies;
      const current = stored.find((policy) => policy.jurisdiction === code);
      throw new ApiFailure('conflict', undefined, escalationLadderView(code, current));
    }
    dependencies.policies().forget();
    await wakeLifecycles(code);
    return escalationLadderView(code, result);
  },
);

/**
 * Best effort: the edit is stored already, and a lifecycle not woken here reads the new
 * ladder at its next turn anyway (at the latest when its current wait ends).
 */
async function wakeLifecycles(jurisdiction: string): Promise<void> {
  const workflow = dependencies.hazardWorkflow();
  const hazardIds = await dependencies.liveHazardIds([jurisdiction]);
  for (let start = 0; start < hazardIds.length; start += parallelWakes) {
    await Promise.all(
      hazardIds.slice(start, start + parallelWakes).map((hazardId) =>
        workflow.wake(hazardId).catch((error: unknown) => {
          logger.warn('A lifecycle was not woken after a ladder edit', {
            hazardId,
            error: error as Error,
          });
        }),
      ),
    );
  }
}
