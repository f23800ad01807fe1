import { validate } from '@qingling/shared/api/validation.ts';
import { seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { calendarYearView, storedYearView } from '@qingling/shared/policies/policies.ts';
import { calendarYearSchemaFor } from '@qingling/shared/policies/schemas.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/policy-api.ts';

/**
 * PUT /api/admin/calendar/{year}: an administrator enters or corrects a year's days off
 * and make-up working days (the calendar is national: any administrator may). Every date
 * must fall in the year; the write names the version the editor saw (409 if it changed).
 */
export const handler = apiHandler(
  'updateCalendarYear',
  async ({ body, principal, pathParameters }) => {
    const year = Number(pathParameters.year);
    // The body passed the year-free schema; now the dates are held to the path's year.
    const checked = validate(calendarYearSchemaFor(year), body);
    if (!checked.success) throw new ApiFailure('invalid_request', checked.issues);
    const { expectedVersion, ...days } = checked.data;
    const store = dependencies.policyStore();
    const result = await store.putCalendarYear(year, days, {
      expectedVersion,
      at: dependencies.clock().now().toISOString(),
      by: { userId: principal.userId, name: principal.name },
    });
    if (result === 'conflict') {
      const current = calendarYearView(seedCalendar, (await store.read()).calendarYears, year);
      throw new ApiFailure('conflict', undefined, current);
    }
    dependencies.policies().forget();
    return storedYearView(result);
  },
);
