import type { Actor, RecordedEvent } from '../event-log/event-log.ts';
import type { Projection } from '../event-log/event-store.ts';
import type { Bilingual } from '../i18n/text.ts';
import type { EscalationStep, Round } from './escalation.ts';

/**
 * A hazard's life, report → rectify → verify → close, as events on its log and the state
 * derived from them. Pure: the lifecycle workflow and the office console both write these
 * events; the rules below say which may follow which.
 */
export type HazardSource = 'tip' | 'self_report' | 'inspection';
export type HazardGrade = 'general' | 'major';
export type HazardStatus = 'reported' | 'rectifying' | 'verifying' | 'closed';

/** The six parts of a major hazard's rectification plan (RULES.md, 2007 regulation). */
export interface RectificationPlan {
  goalAndTasks: string;
  methodsAndMeasures: string;
  fundsAndMaterials: string;
  responsibleBodyAndPeople: string;
  deadlineAndRequirements: string;
  safetyAndEmergencyMeasures: string;
}

/** What a hazard is, as recorded when it is reported. */
export interface HazardFacts {
  hazardId: string;
  source: HazardSource;
  tipId?: string;
  jurisdiction: string;
  industry: string;
  enterprise: string;
  place: string;
  grade: HazardGrade;
  standard?: { ref: string; clause: string };
  description: string;
}

export type HazardEvent =
  | { type: 'hazard_reported'; data: HazardFacts }
  | {
      type: 'rectification_started';
      data: { responsible: string; deadline: string; measures: string; plan?: RectificationPlan };
    }
  | { type: 'deadline_extended'; data: { deadline: string; reason: string; approvedBy: string } }
  | { type: 'evidence_submitted'; data: { note: string; photoKeys: string[] } }
  | { type: 'verification_passed'; data: { note: string } }
  | { type: 'verification_failed'; data: { reasons: string; newDeadline: string } }
  | { type: 'hazard_closed'; data: { note: string } }
  | { type: 'hazard_reopened'; data: { reason: string; newDeadline: string } }
  | {
      type: 'escalation_step_recorded';
      data: { step: EscalationStep; round: number; dueAt: string; late: boolean };
    }
  | { type: 'escalation_step_delivered'; data: { key: string } };

export interface HazardState extends HazardFacts {
  status: HazardStatus;
  reportedAt: string;
  responsible?: string;
  measures?: string;
  plan?: RectificationPlan;
  /** The current round: its number, deadline and start (null before rectification). */
  round: { number: number; deadline: string; startedAt: string } | null;
  escalations: {
    key: string;
    step: EscalationStep;
    round: number;
    at: string;
    late: boolean;
    delivered: boolean;
  }[];
  closedAt?: string;
}

export class LifecycleViolation extends Error {
  readonly text: Bilingual;
  constructor(text: Bilingual) {
    super(text.en);
    this.text = text;
  }
}

const violation = (zh: string, en: string) => new LifecycleViolation({ zh, en });

/** Which event may follow in which status: the domain refuses anything else. */
export function checkTransition(state: HazardState | null, event: HazardEvent): void {
  if (event.type === 'hazard_reported') {
    if (state) throw violation('隐患已登记。', 'The hazard is already recorded.');
    if (event.data.grade === 'major' && !event.data.standard) {
      throw violation(
        '重大事故隐患须引用判定标准及条款。',
        'A major hazard must cite its standard and clause.',
      );
    }
    return;
  }
  if (!state) throw violation('隐患尚未登记。', 'The hazard is not recorded yet.');
  const allowed: Record<HazardEvent['type'], HazardStatus[]> = {
    hazard_reported: [],
    rectification_started: ['reported'],
    deadline_extended: ['rectifying'],
    evidence_submitted: ['rectifying', 'verifying'],
    verification_passed: ['verifying'],
    verification_failed: ['verifying'],
    hazard_closed: ['verifying'],
    hazard_reopened: ['closed'],
    escalation_step_recorded: ['rectifying', 'verifying'],
    escalation_step_delivered: ['rectifying', 'verifying', 'closed'],
  };
  if (!allowed[event.type].includes(state.status)) {
    throw violation(
      `当前状态（${state.status}）不能进行此操作。`,
      `Not allowed while the hazard is ${state.status}.`,
    );
  }
  if (event.type === 'rectification_started' && state.grade === 'major' && !event.data.plan) {
    throw violation(
      '重大事故隐患须先提交治理方案（六项内容）。',
      'A major hazard needs its six-part rectification plan first.',
    );
  }
}

/** The round a hazard is in, for the escalation planner. */
export function currentRound(state: HazardState): Round | null {
  if (!state.round) return null;
  return {
    number: state.round.number,
    deadline: new Date(state.round.deadline),
    startedAt: new Date(state.round.startedAt),
  };
}

export const hazardStream = (hazardId: string) => `HAZARD#${hazardId}`;

export const hazardProjection: Projection<HazardState> = {
  apply(state, recorded: RecordedEvent) {
    const event = recorded as unknown as HazardEvent & { at: string; actor: Actor };
    if (event.type === 'hazard_reported') {
      return {
        ...event.data,
        status: 'reported',
        reportedAt: recorded.at,
        round: null,
        escalations: [],
      };
    }
    if (!state) throw new Error(`hazard event ${recorded.type} before hazard_reported`);
    switch (event.type) {
      case 'rectification_started':
        return {
          ...state,
          status: 'rectifying',
          responsible: event.data.responsible,
          measures: event.data.measures,
          ...(event.data.plan ? { plan: event.data.plan } : {}),
          round: { number: 1, deadline: event.data.deadline, startedAt: recorded.at },
        };
      case 'deadline_extended':
        return state.round
          ? { ...state, round: { ...state.round, deadline: event.data.deadline } }
          : state;
      case 'evidence_submitted':
        return { ...state, status: 'verifying' };
      case 'verification_passed':
        return state;
      case 'verification_failed':
        return {
          ...state,
          status: 'rectifying',
          round: {
            number: (state.round?.number ?? 0) + 1,
            deadline: event.data.newDeadline,
            startedAt: recorded.at,
          },
        };
      case 'hazard_closed':
        return { ...state, status: 'closed', closedAt: recorded.at };
      case 'hazard_reopened': {
        const { closedAt: _closed, ...open } = state;
        return {
          ...open,
          status: 'rectifying',
          round: {
            number: (state.round?.number ?? 0) + 1,
            deadline: event.data.newDeadline,
            startedAt: recorded.at,
          },
        };
      }
      case 'escalation_step_recorded':
        return {
          ...state,
          escalations: [
            ...state.escalations,
            {
              key: recorded.idempotencyKey ?? '',
              step: event.data.step,
              round: event.data.round,
              at: recorded.at,
              late: event.data.late,
              delivered: false,
            },
          ],
        };
      case 'escalation_step_delivered':
        return {
          ...state,
          escalations: state.escalations.map((entry) =>
            entry.key === event.data.key ? { ...entry, delivered: true } : entry,
          ),
        };
      default:
        return state;
    }
  },
  indexes: (state) => ({
    // The ledger: a jurisdiction's hazards by status and grade, newest first.
    gsi1pk: `HAZARDS#${state.jurisdiction}#${state.status}`,
    gsi1sk: `${state.grade}#${state.reportedAt}#${state.hazardId}`,
    // The enterprise file (一企一档).
    gsi2pk: `ENTERPRISE#${state.enterprise}`,
    gsi2sk: `HAZARD#${state.reportedAt}#${state.hazardId}`,
  }),
};
