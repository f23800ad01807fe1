import { calendarWarnings, seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { dependencies } from '../dependencies.ts';
import { apiHandler, logger } from '../http/api-handler.ts';

/** GET /api/health: ok, the code and seed versions, and what administrators must act on. */
export const handler = apiHandler('getHealth', async () => {
  const code = dependencies.codeVersion();
  const now = dependencies.clock().now();
  try {
    // The calendar in force: a year an administrator entered silences its warning.
    const [data, calendar] = await Promise.all([
      dependencies.referenceData().seedVersion(),
      dependencies.policies().calendar(),
    ]);
    return { ok: true, version: { code, data }, warnings: calendarWarnings(calendar, now) };
  } catch (error) {
    logger.error('Health check cannot read the table', { error: error as Error });
    const warnings = calendarWarnings(seedCalendar, now);
    return { status: 503, body: { ok: false, version: { code, data: null }, warnings } };
  }
});
