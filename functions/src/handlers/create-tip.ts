import { tipsterActor } from '@qingling/shared/tips/tip.ts';
import { apiHandler } from '../http/api-handler.ts';
import { receiveTip } from '../tips/tip-intake.ts';

/** POST /api/tips: an anonymous tip from the web form. */
export const handler = apiHandler('createTip', ({ body }) => receiveTip(body, 'web', tipsterActor));
