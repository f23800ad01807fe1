import { cstDate } from '../calendar/calendar.ts';

/** The day the hazard was found: as recorded, else the CST day it was entered. */
export function foundOnOf(state: { foundOn?: string; reportedAt: string }): string {
  return state.foundOn ?? cstDate(new Date(state.reportedAt));
}
