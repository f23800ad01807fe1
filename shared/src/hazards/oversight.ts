import type { Actor } from '../event-log/event-log.ts';

/**
 * What leaders do to a hazard (RULES.md, "Who is who"; the escalation ladder's 约谈, 挂牌督办,
 * 曝光): hold a summons, place and lift listed supervision, approve and withdraw public
 * exposure. Each is a person's event on the hazard's log, like an officer's decision.
 * Pure and self-contained (hazard.ts folds these in), so it imports nothing of hazard.ts.
 */
export type OversightEvent =
  | {
      type: 'summons_held';
      /** Who attended, what was agreed, and the CST date of the next check on it. */
      data: { attendees: string; agreed: string; nextDate: string };
    }
  | { type: 'listed_supervision_placed'; data: { documentNumber: string; reason: string } }
  | { type: 'listed_supervision_lifted'; data: { documentNumber: string; reason: string } }
  | {
      type: 'exposure_approved';
      /** The enterprise's registered name, copied here: the public page reads no register. */
      data: { documentNumber: string; reason: string; enterpriseName?: string };
    }
  | { type: 'exposure_withdrawn'; data: { reason: string } };

export type OversightEventType = OversightEvent['type'];

/** What the leaders' events add to a hazard's state (absent on hazards they never touched). */
export interface OversightState {
  summonses?: { at: string; by: string; attendees: string; agreed: string; nextDate: string }[];
  /** Listed supervision in force (挂牌督办): lifted, it is gone from the state (not the log). */
  listedSupervision?: { documentNumber: string; reason: string; placedAt: string; by: string };
  /** Public exposure in force (曝光): the hazard is on the public exposure page. */
  exposure?: {
    documentNumber: string;
    reason: string;
    approvedAt: string;
    enterpriseName?: string;
  };
}

type Status = 'reported' | 'rectifying' | 'verifying' | 'closed';

interface Subject extends OversightState {
  status: Status;
  grade: 'general' | 'major';
}

const open: Status[] = ['reported', 'rectifying', 'verifying'];

/**
 * The statuses each leader's event may follow. Exposure needs what the enterprise must do
 * (measures, deadline), so a hazard still without a rectification is not exposed. A
 * closed hazard keeps its listing or exposure until a leader lifts or withdraws it.
 */
export const oversightStatuses: Record<OversightEventType, Status[]> = {
  summons_held: open,
  listed_supervision_placed: open,
  listed_supervision_lifted: [...open, 'closed'],
  exposure_approved: ['rectifying', 'verifying'],
  exposure_withdrawn: [...open, 'closed'],
};

export const isOversightEvent = (event: { type: string }): event is OversightEvent =>
  event.type in oversightStatuses;

export interface Refusal {
  zh: string;
  en: string;
}

/** The rules beyond the status: null when the event may follow. */
export function oversightRefusal(state: Subject, event: OversightEvent): Refusal | null {
  switch (event.type) {
    case 'listed_supervision_placed':
      if (state.grade !== 'major') {
        return {
          zh: '挂牌督办只适用于重大事故隐患。',
          en: 'Listed supervision is for major hazards only.',
        };
      }
      return state.listedSupervision
        ? { zh: '该隐患已挂牌督办。', en: 'The hazard is already under listed supervision.' }
        : null;
    case 'listed_supervision_lifted':
      return state.listedSupervision
        ? null
        : { zh: '该隐患未挂牌督办。', en: 'The hazard is not under listed supervision.' };
    case 'exposure_approved':
      return state.exposure
        ? { zh: '该隐患已批准曝光。', en: 'Exposure of this hazard is already approved.' }
        : null;
    case 'exposure_withdrawn':
      return state.exposure ? null : { zh: '该隐患未曝光。', en: 'The hazard is not exposed.' };
    default:
      return null;
  }
}

/** The next check agreed at a summons is a CST date, today or later. */
export function nextDateRefusal(nextDate: string, today: string): Refusal | null {
  return nextDate < today
    ? {
        zh: `下次督查日期（${nextDate}）已过，请选择今天或以后的日期。`,
        en: `The next check date (${nextDate}) has passed: choose today or later.`,
      }
    : null;
}

export function applyOversight<State extends OversightState>(
  state: State,
  event: OversightEvent & { at: string; actor: Actor },
): State {
  switch (event.type) {
    case 'summons_held':
      return {
        ...state,
        summonses: [
          ...(state.summonses ?? []),
          { at: event.at, by: event.actor.name ?? event.actor.id, ...event.data },
        ],
      };
    case 'listed_supervision_placed':
      return {
        ...state,
        listedSupervision: {
          documentNumber: event.data.documentNumber,
          reason: event.data.reason,
          placedAt: event.at,
          by: event.actor.name ?? event.actor.id,
        },
      };
    case 'listed_supervision_lifted': {
      const { listedSupervision: _lifted, ...rest } = state;
      return rest as State;
    }
    case 'exposure_approved':
      return {
        ...state,
        exposure: {
          documentNumber: event.data.documentNumber,
          reason: event.data.reason,
          approvedAt: event.at,
          ...(event.data.enterpriseName ? { enterpriseName: event.data.enterpriseName } : {}),
        },
      };
    case 'exposure_withdrawn': {
      const { exposure: _withdrawn, ...rest } = state;
      return rest as State;
    }
  }
}
