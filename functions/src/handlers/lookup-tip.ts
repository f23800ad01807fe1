import { recordLapse } from '@qingling/shared/tips/claim-command.ts';
import { claimStanding } from '@qingling/shared/tips/reward-claim.ts';
import { tipForTipster } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/public-tip-api.ts';
import { tipByReceipt } from '../tips/tip-access.ts';

/** POST /api/tips/lookup: the receipt, in the body, opens the tip for its holder. */
export const handler = apiHandler('lookupTip', async ({ body, headers }) => {
  const { tipId, snapshot } = await tipByReceipt(body.receipt, headers);
  const now = dependencies.clock().now();
  const reward = snapshot.state.reward;
  // A reward left unclaimed past its deadline: the lapse is recorded when first seen.
  if (reward && !reward.lapsedAt && claimStanding(reward, now) === 'lapsed') {
    await recordLapse({ events: dependencies.eventStore(), clock: dependencies.clock() }, tipId);
  }
  const jurisdiction = (await dependencies.jurisdictions()).find(
    (candidate) => candidate.code === snapshot.state.jurisdiction,
  );
  return tipForTipster(
    snapshot.state,
    {
      code: snapshot.state.jurisdiction,
      zh: jurisdiction?.zh ?? snapshot.state.jurisdiction,
      en: jurisdiction?.en ?? snapshot.state.jurisdiction,
    },
    now,
  );
});
