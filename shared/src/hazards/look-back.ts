import { addCalendarDays, cstDate, type HolidayCalendar } from '../calendar/calendar.ts';
import { type EscalationPolicy, nextOfficeMoment } from './escalation.ts';
import type { HazardState } from './hazard.ts';

/**
 * Look-back re-inspection (回头看) of closed hazards: policy data and the sampling rule.
 * Every major hazard is looked at again; a share of general ones, chosen by a hash of the
 * hazard and its round so that the choice is the same however often it is computed.
 */
export interface LookBackPolicy {
  version: string;
  source: string;
  /** Days after closure when the re-inspection falls due. */
  afterDays: number;
  /** Share of closed general hazards sampled, 0–1. */
  generalSampleRate: number;
  majorAlways: boolean;
}

export const defaultLookBackPolicy: LookBackPolicy = {
  version: 'national-default-1',
  source: 'RULES.md: look-back re-inspection of closed hazards (回头看); rates chosen here',
  afterDays: 30,
  generalSampleRate: 0.2,
  majorAlways: true,
};

/** The look-back policy in force where `policy` is: its administrator's, or the default. */
export function lookBackPolicyFor(policy: EscalationPolicy): LookBackPolicy {
  if (!policy.lookBack) return defaultLookBackPolicy;
  return {
    ...defaultLookBackPolicy,
    version: policy.version,
    source: policy.source,
    afterDays: policy.lookBack.afterDays,
    generalSampleRate: policy.lookBack.generalSamplePercent / 100,
  };
}

/** A number in [0, 1) from a string: FNV-1a, enough for a fair, repeatable sample. */
function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/**
 * When a hazard closed at `closedAt` is to be looked at again (office hours of the day
 * `afterDays` on, or the next working day's), or undefined when it was not sampled.
 */
export function lookBackAt(
  state: HazardState,
  closedAt: Date,
  policy: LookBackPolicy,
  calendar: HolidayCalendar,
  officeHours: EscalationPolicy['officeHours'],
): string | undefined {
  const sampled =
    (state.grade === 'major' && policy.majorAlways) ||
    unitHash(`${state.hazardId}#${state.round?.number ?? 0}`) < policy.generalSampleRate;
  if (!sampled) return undefined;
  const day = addCalendarDays(cstDate(closedAt), policy.afterDays);
  const startOfDay = new Date(Date.parse(`${day}T00:00:00.000+08:00`));
  return nextOfficeMoment(startOfDay, calendar, officeHours).toISOString();
}
