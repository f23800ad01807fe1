import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import type { BankDetails } from '@qingling/shared/tips/reward-claim.ts';
import { openPaymentDetailsRoute } from '@qingling/shared/tips/reward-routes.ts';
import {
  checkTipTransition,
  TipRuleViolation,
  tipProjection,
  tipStream,
} from '@qingling/shared/tips/tip.ts';
import { decideOnRecord } from '@qingling/shared/workflow/decisions.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure, apiHandlerFor } from '../http/api-handler.ts';
import { personOf } from '../http/principal-actor.ts';
import { tipLoaders } from '../http/reward-api.ts';

/**
 * POST /api/office/tips/{tipId}/reward/payment-details: a reward officer opens the sealed
 * bank details of a claim. The opening is written on the tip first (who, when), then the
 * details are decrypted: no reading goes unrecorded. A retry of the same key is one opening.
 */
export const handler = apiHandlerFor([openPaymentDetailsRoute], tipLoaders)(
  'openPaymentDetails',
  async ({ body, principal, record }) => {
    const tipId = record.state.tipId;
    // Erased by the retention sweep (tips/retention.ts): said as such, nothing recorded.
    const erased = record.state.sealedErased;
    if (erased?.fields.includes('bank')) {
      const on = cstDate(new Date(erased.at));
      throw new ApiFailure('rule_violated', [
        {
          path: 'tipId',
          message: {
            zh: `银行转账信息已于 ${on} 按保存期限删除，无法再查看。`,
            en: `The bank details were erased on ${on}, at the end of their retention period: they can no longer be read.`,
          },
        },
      ]);
    }
    const outcome = await decideOnRecord({
      events: dependencies.eventStore(),
      stream: tipStream(tipId),
      projection: tipProjection,
      idempotencyKey: body.idempotencyKey,
      actor: personOf(principal),
      now: () => dependencies.clock().now(),
      decide: (state) => {
        const event = { type: 'payment_details_opened' as const, data: {} };
        checkTipTransition(state, event);
        return event;
      },
      wake: async () => {},
    }).catch((error: unknown) => {
      if (error instanceof TipRuleViolation) {
        throw new ApiFailure('rule_violated', [{ path: 'tipId', message: error.text }]);
      }
      throw error;
    });
    if (outcome.kind === 'not_found') throw new ApiFailure('not_found');
    if (outcome.kind === 'conflict') throw new ApiFailure('conflict');
    const sealed = outcome.snapshot.state.reward?.claim?.bankSealed;
    if (!sealed) throw new ApiFailure('not_found');
    const details = JSON.parse(await dependencies.contactVault().open(sealed)) as BankDetails;
    return {
      accountName: details.accountName,
      bankName: details.bankName,
      accountNumber: details.accountNumber,
    };
  },
);
