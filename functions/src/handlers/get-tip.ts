import { apiHandler } from '../http/tip-api.ts';
import { tipViewFor } from '../tips/tip-command.ts';

/**
 * GET /api/office/tips/{tipId}: the whole tip for an officer of its jurisdiction; for a
 * reward officer, the matter and its reward, nothing else about the tipster.
 */
export const handler = apiHandler('getTip', async ({ principal, record }) =>
  tipViewFor(principal, record.state),
);
