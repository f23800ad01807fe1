import { askTipsterRoute } from '@qingling/shared/tips/routes.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandlerFor } from '../http/api-handler.ts';
import { tipLoaders } from '../http/tip-api.ts';
import { appendMessage } from '../tips/tip-access.ts';

/** POST /api/office/tips/{tipId}/questions: an officer asks the anonymous tipster. */
export const handler = apiHandlerFor([askTipsterRoute], tipLoaders)(
  'askTipster',
  async ({ body, principal, record }) => {
    return appendMessage(record.state.tipId, record, {
      type: 'question_asked',
      at: dependencies.clock().now().toISOString(),
      actor: { kind: 'person', id: principal.userId, name: principal.name },
      data: { text: body.text },
      idempotencyKey: body.idempotencyKey,
    });
  },
);
