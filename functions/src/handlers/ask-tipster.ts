import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/tip-api.ts';
import { appendMessage, tipForJurisdictionsOf } from '../tips/tip-access.ts';

/** POST /api/office/tips/{tipId}/questions: an officer asks the anonymous tipster. */
export const handler = apiHandler('askTipster', async ({ body, pathParameters, principal }) => {
  if (!principal) throw new ApiFailure('unauthenticated');
  const tipId = pathParameters.tipId ?? '';
  const snapshot = await tipForJurisdictionsOf(tipId, principal.jurisdictions);
  return appendMessage(tipId, snapshot, {
    type: 'question_asked',
    at: dependencies.clock().now().toISOString(),
    actor: { kind: 'person', id: principal.userId, name: principal.name },
    data: { text: body.text },
    idempotencyKey: body.idempotencyKey,
  });
});
