import { enterpriseProjection, enterpriseStream } from '@qingling/shared/enterprises/enterprise.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/enterprise-api.ts';
import { requireKnownJurisdiction } from '../http/known-jurisdiction.ts';
import { personOf } from '../http/principal-actor.ts';

/**
 * POST /api/office/enterprises: one record per legal entity on the jurisdiction's register,
 * under its credit code; another jurisdiction may register the same code on its own. The
 * same enterprise registered again here answers 409 with this register's record as it is
 * (nothing changes).
 */
export const handler = apiHandler('registerEnterprise', async ({ body, principal }) => {
  await requireKnownJurisdiction(body.jurisdiction);
  const result = await dependencies.eventStore().append(
    enterpriseStream(body.jurisdiction, body.uscc),
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
  throw new ApiFailure('conflict', undefined, current?.state);
});
