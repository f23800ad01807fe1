import { tipLimits } from '@qingling/shared/tips/limits.ts';
import { tipsterActor } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/public-tip-api.ts';
import { appendMessage, tipByReceipt } from '../tips/tip-access.ts';

/** POST /api/tips/messages: the tipster answers a question or adds information. */
export const handler = apiHandler('postTipsterMessage', async ({ body, headers }) => {
  const { tipId, snapshot } = await tipByReceipt(body.receipt, headers);
  const sent = snapshot.state.messages.filter((message) => message.from === 'tipster').length;
  // A retry of a message already recorded is answered as before; a new one must fit.
  if (
    sent >= tipLimits.messagesFromTipster &&
    !snapshot.idempotencyKeys.includes(body.idempotencyKey)
  ) {
    throw new ApiFailure('messages_limit');
  }
  const question = snapshot.state.messages.find(
    (message) => message.messageId === body.inReplyTo && message.from === 'office',
  );
  if (body.inReplyTo && !question) {
    throw new ApiFailure('invalid_request', [
      { path: 'inReplyTo', message: { zh: '没有这个问题。', en: 'There is no such question.' } },
    ]);
  }
  const reply = await appendMessage(tipId, snapshot, {
    type: 'tipster_replied',
    at: dependencies.clock().now().toISOString(),
    actor: tipsterActor,
    data: { text: body.text, ...(body.inReplyTo ? { inReplyTo: body.inReplyTo } : {}) },
    idempotencyKey: body.idempotencyKey,
  });
  // The tipster never learns which officer asked.
  const { askedBy: _officer, ...message } = reply.body as { askedBy?: string };
  return { status: reply.status, body: message };
});
