import { enterpriseProjection, enterpriseStream } from '@qingling/shared/enterprises/enterprise.ts';
import { dependencies } from '../dependencies.ts';
import { ApiFailure, apiHandler } from '../http/api-handler.ts';
import { requireKnownJurisdiction } from '../http/known-jurisdiction.ts';
import { personOf } from '../http/principal-actor.ts';

/**
 * POST /api/office/enterprises: one record per legal entity, under its credit code. The
 * same enterprise registered again answers 409 with the record as it is (nothing changes).
 */
export const handler = apiHandler('registerEnterprise', async ({ body, principal }) => {
  if (!principal?.jurisdictions.includes(body.jurisdiction)) throw new ApiFailure('forbidden');
  await requireKnownJurisdiction(body.jurisdiction);
  const result = await dependencies.eventStore().append(
    enterpriseStream(body.uscc),
    null,
    {
      type: 'enterprise_registered',
      at: dependencies.clock().now().toISOString(),
      actor: personOf(principal),
      data: body,
      idempotencyKey: 'enterprise_registered',
    },
    enterpriseProjection,
  );
  if (result.kind === 'appended') return { status: 201, body: result.snapshot.state };
  const current = result.kind === 'duplicate' ? result.snapshot : result.current;
  // Someone else's jurisdiction holds it: say no more than that it cannot be registered here.
  if (!current || !principal.jurisdictions.includes(current.state.jurisdiction)) {
    throw new ApiFailure('conflict');
  }
  throw new ApiFailure('conflict', undefined, current.state);
});
