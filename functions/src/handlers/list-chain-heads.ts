import { publicDay } from '@qingling/shared/chain-heads/chain-heads.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/chain-head-api.ts';

/** GET /api/public/chain-heads: the latest 60 published days, newest first (no sign-in). */
export const handler = apiHandler('listChainHeads', async () => ({
  days: (await dependencies.chainHeads().listDays(60)).map(publicDay),
}));
