import { calendarWarnings, seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { dependencies } from '../dependencies.ts';
import { apiHandler, logger } from '../http/api-handler.ts';

/** GET /api/health: ok, the code and seed versions, and what administrators must act on. */
export const handler = apiHandler('getHealth', async () => {
  const code = dependencies.codeVersion();
  const warnings = calendarWarnings(seedCalendar, dependencies.clock().now());
  try {
    const data = await dependencies.referenceData().seedVersion();
    return { ok: true, version: { code, data }, warnings };
  } catch (error) {
    logger.error('Health check cannot read the table', { error: error as Error });
    return { status: 503, body: { ok: false, version: { code, data: null }, warnings } };
  }
});
