import { dependencies } from '../dependencies.ts';
import { apiHandler, logger } from '../http/api-handler.ts';

/** GET /api/health: answers ok with the code version and the seed version in the table. */
export const handler = apiHandler('getHealth', async () => {
  const code = dependencies.codeVersion();
  try {
    const data = await dependencies.referenceData().seedVersion();
    return { ok: true, version: { code, data } };
  } catch (error) {
    logger.error('Health check cannot read the table', { error: error as Error });
    return { status: 503, body: { ok: false, version: { code, data: null } } };
  }
});
