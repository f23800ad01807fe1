import { getTipRoute } from '@qingling/shared/tips/routes.ts';
import { readUrlsOf } from '../hazards/evidence-photos.ts';
import { apiHandlerFor } from '../http/api-handler.ts';
import { tipLoaders } from '../http/tip-api.ts';
import { tipViewFor } from '../tips/tip-command.ts';

/**
 * GET /api/office/tips/{tipId}: the whole tip for an officer of its jurisdiction, with
 * short-lived read URLs of its photos; for a reward officer, the matter and its reward,
 * nothing else about the tipster (no photos).
 */
export const handler = apiHandlerFor([getTipRoute], tipLoaders)(
  'getTip',
  async ({ principal, record }) => {
    const view = tipViewFor(principal, record.state);
    const keys = 'photoKeys' in view ? view.photoKeys : [];
    if (keys.length === 0) return view;
    return { ...view, ...(await readUrlsOf(keys)) };
  },
);
