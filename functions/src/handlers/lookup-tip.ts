import { tipForTipster } from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/tip-api.ts';
import { tipByReceipt } from '../tips/tip-access.ts';

/** POST /api/tips/lookup: the receipt, in the body, opens the tip for its holder. */
export const handler = apiHandler('lookupTip', async ({ body, headers }) => {
  const { snapshot } = await tipByReceipt(body.receipt, headers);
  const jurisdiction = (await dependencies.jurisdictions()).find(
    (candidate) => candidate.code === snapshot.state.jurisdiction,
  );
  return tipForTipster(snapshot.state, {
    code: snapshot.state.jurisdiction,
    zh: jurisdiction?.zh ?? snapshot.state.jurisdiction,
    en: jurisdiction?.en ?? snapshot.state.jurisdiction,
  });
});
