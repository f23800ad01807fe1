import { calendarWarnings, seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/core-api.ts';
import { logger } from '../observability/logger.ts';

const notSeeded = {
  code: 'no_jurisdictions',
  message: {
    zh: '尚无任何辖区：部署时的数据初始化没有完成，举报将全部被拒绝。',
    en: 'There is no jurisdiction yet: the data seeding of the deployment has not run, so every tip would be refused.',
  },
};

/** GET /api/health: ok, the code and seed versions, and what administrators must act on. */
export const handler = apiHandler('getHealth', async () => {
  const code = dependencies.codeVersion();
  const now = dependencies.clock().now();
  try {
    // The calendar in force: a year an administrator entered silences its warning.
    const [data, calendar, jurisdictions] = await Promise.all([
      dependencies.referenceData().seedVersion(),
      dependencies.policies().calendar(),
      dependencies.referenceData().listJurisdictions(),
    ]);
    const warnings = calendarWarnings(calendar, now);
    // Without a jurisdiction every tip is refused: a deployment whose data never arrived
    // is not healthy, whatever its functions say.
    if (jurisdictions.length === 0) {
      return {
        status: 503,
        body: { ok: false, version: { code, data }, warnings: [notSeeded, ...warnings] },
      };
    }
    return { ok: true, now: now.toISOString(), version: { code, data }, warnings };
  } catch (error) {
    logger.error('Health check cannot read the table', { error: error as Error });
    const warnings = calendarWarnings(seedCalendar, now);
    return { status: 503, body: { ok: false, version: { code, data: null }, warnings } };
  }
});
