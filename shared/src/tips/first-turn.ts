import type { HolidayCalendar } from '../calendar/calendar.ts';
import type { Snapshot } from '../event-log/event-store.ts';
import { spreadSeconds, type TurnPlan, waitSeconds } from '../workflow/turns.ts';
import { planTipLimits, runningLimit, type TipTimeLimits } from './time-limits.ts';
import type { TipState } from './tip-state.ts';

/**
 * The first turn of a tip's lifecycle, planned by intake from the state it has just written
 * (issue 13): the execution starts at its wait, without a Plan task and without reading the
 * tip again. Plan would decide the same from the same state and clock (lifecycle.test.ts
 * holds them together). Only a wait is planned here; anything else (a step due at once, no
 * limit running) is null, and the execution plans as usual.
 */
export function firstTipTurn(input: {
  snapshot: Snapshot<TipState>;
  now: Date;
  limits: TipTimeLimits;
  calendar: HolidayCalendar;
  officeHours: { startHour: number; endHour: number };
  spread?: (id: string) => number;
}): TurnPlan | null {
  const { snapshot, now } = input;
  const { state, version } = snapshot;
  if (!runningLimit(state) || state.timeLimitSteps.length) return null;
  const { due, nextAt } = planTipLimits({ ...input, state });
  if (due.length) return null;
  const spread = (input.spread ?? spreadSeconds)(state.tipId);
  return { action: 'wait', timeoutSeconds: waitSeconds(now, nextAt, spread), turn: 1, version };
}
