import { enterpriseProjection, enterpriseStream } from '@qingling/shared/enterprises/enterprise.ts';
import { appendWithRetry } from '@qingling/shared/event-log/append-with-retry.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/enterprise-api.ts';
import { personOf } from '../http/principal-actor.ts';

/** Appends lost to concurrent edits before giving up with a 409 (each loss is someone's edit). */
const attempts = 5;

/**
 * PATCH /api/office/enterprises/{uscc}?jurisdiction=: the jurisdiction's officer edits its
 * own record of the enterprise; other jurisdictions' records of the same code are other
 * records and stay as they are. A retry with the same key is answered with the record and
 * records nothing.
 */
export const handler = apiHandler(
  'updateEnterprise',
  async ({ body, pathParameters, query, principal }) => {
    const stream = enterpriseStream(query.jurisdiction, (pathParameters.uscc ?? '').toUpperCase());
    const events = dependencies.eventStore();
    // An edit names the fields it changes: laid over whatever is current, so an edit that
    // landed first (of other fields) is kept rather than refused.
    const outcome = await appendWithRetry(
      events,
      enterpriseProjection,
      await events.load(stream, enterpriseProjection),
      () => ({
        type: 'enterprise_updated',
        at: dependencies.clock().now().toISOString(),
        actor: personOf(principal),
        data: { changes: body.changes },
        idempotencyKey: body.idempotencyKey,
      }),
      { attempts },
    );
    if (outcome.kind === 'missing') throw new ApiFailure('not_found');
    if (outcome.kind === 'exhausted')
      throw new ApiFailure('conflict', undefined, outcome.current.state);
    return outcome.snapshot.state;
  },
);
