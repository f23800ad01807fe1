import { rewardPolicyView } from '@qingling/shared/policies/policies.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { knownJurisdictionOfPath } from '../http/known-jurisdiction.ts';
import { apiHandler } from '../http/policy-api.ts';

/**
 * PUT /api/admin/jurisdictions/{code}/reward-policy: an administrator of that jurisdiction
 * sets its reward policy, naming the version it replaces (409 with the policy as it is now
 * when another edit came first). It applies to tips substantiated after it: a tip keeps
 * the policy written on its finding, so nothing running needs waking.
 */
export const handler = apiHandler(
  'updateRewardPolicy',
  async ({ body, principal, pathParameters }) => {
    const code = await knownJurisdictionOfPath(pathParameters);
    const { expectedVersion, ...settings } = body;
    const store = dependencies.policyStore();
    const result = await store.putRewardPolicy(code, settings, {
      expectedVersion,
      at: dependencies.clock().now().toISOString(),
      by: { userId: principal.userId, name: principal.name },
    });
    if (result === 'conflict') {
      const current = (await store.read()).rewardPolicies?.find(
        (policy) => policy.jurisdiction === code,
      );
      throw new ApiFailure('conflict', undefined, rewardPolicyView(code, current));
    }
    dependencies.policies().forget();
    return rewardPolicyView(code, result);
  },
);
