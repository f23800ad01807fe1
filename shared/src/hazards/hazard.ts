import type { Recorded, RecordedEvent } from '../event-log/event-log.ts';
import { type Projection, projectionOf } from '../event-log/event-store.ts';
import { jsonBytes, utf8Bytes } from '../event-log/record-size.ts';
import type { Bilingual } from '../i18n/text.ts';
import type { EscalationStep, Round } from './escalation.ts';
import type { EvidencePhoto, FoundPosition } from './evidence.ts';
import { type HazardHistory, withHistory } from './history.ts';
import { ledgerFilterIndexes } from './ledger-indexes.ts';
import {
  applyOversight,
  isOversightEvent,
  type OversightEvent,
  type OversightState,
  oversightRefusal,
  oversightStatuses,
} from './oversight.ts';
import type { Site } from './site.ts';
import { hazardTally } from './statistics.ts';

/**
 * A hazard's life, report → rectify → verify → close, as events on its log and the state
 * derived from them. Pure: the lifecycle workflow and the office console both write these
 * events; the rules below say which may follow which.
 */
export type HazardSource = 'tip' | 'self_report' | 'inspection';
export type HazardGrade = 'general' | 'major';
export type HazardStatus = 'reported' | 'rectifying' | 'verifying' | 'closed';
/** Who is texted the enterprise link: the register's principal, or a place's person in charge. */
export type LinkRecipient = 'enterprise_principal' | 'site_person_in_charge';

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
  /** The village or community (村/社区) it was found in: one the jurisdiction lists. */
  unit?: string;
  industry: string;
  /** The registered enterprise's credit code, or else… */
  enterprise?: string;
  /** …a place without a credit code (九小场所, site.ts), kept on the hazard itself. */
  site?: Site;
  place: string;
  grade: HazardGrade;
  standard?: { ref: string; clause: string };
  description: string;
  /** The CST date the hazard was found, when it was not the day it was entered. */
  foundOn?: string;
  /** Photos taken when it was found, with their hashes (evidence.ts). */
  photos?: EvidencePhoto[];
  /** Where it was found, when the officer chose to record the position. */
  position?: FoundPosition;
}

export type HazardEvent =
  | { type: 'hazard_reported'; data: HazardFacts }
  /** Leaders' decisions: summons, listed supervision, public exposure (oversight.ts). */
  | OversightEvent
  | {
      type: 'rectification_started';
      data: {
        responsible: string;
        deadline: string;
        measures: string;
        plan?: RectificationPlan;
        /** Imported backlog: ladder steps due by then were reached before (escalation.ts). */
        reachedBefore?: string;
        /** The last of them, for the ledger to show (the planner needs only the instant). */
        reachedStep?: EscalationStep;
      };
    }
  /** An imported ledger row already closed (销号) on paper: no lifecycle, no ladder. */
  | { type: 'closed_before_import'; data: { closedOn: string } }
  | { type: 'deadline_extension_requested'; data: { deadline: string; reason: string } }
  | { type: 'deadline_extended'; data: { deadline: string; reason: string; approvedBy: string } }
  | { type: 'deadline_extension_refused'; data: { reason: string } }
  /** `photos`: the photos with their hashes (evidence.ts); `photoKeys` names them too. */
  | {
      type: 'evidence_submitted';
      data: { note: string; photoKeys: string[]; photos?: EvidencePhoto[] };
    }
  /** From the enterprise, through its link: a proposed plan, and progress as it goes. */
  | { type: 'plan_submitted'; data: { plan: RectificationPlan; photos?: EvidencePhoto[] } }
  | {
      type: 'progress_reported';
      data: { note: string; photoKeys: string[]; photos?: EvidencePhoto[] };
    }
  | {
      type: 'verification_passed';
      data: { note: string; onSite: boolean; photos?: EvidencePhoto[] };
    }
  | {
      type: 'verification_failed';
      data: { reasons: string; newDeadline: string; photos?: EvidencePhoto[] };
    }
  /** `signedOffAs`: the role a major hazard's second person signed off in (closure.ts). */
  | { type: 'hazard_closed'; data: { note: string; lookBackAt?: string; signedOffAs?: string } }
  | { type: 'hazard_reopened'; data: { reason: string; newDeadline: string } }
  | { type: 'look_back_due'; data: { dueAt: string } }
  /** The tipster's timeline was told how far the hazard has come (round, stage). */
  | { type: 'tip_told'; data: { stage: string; round: number } }
  /** The enterprise's principal and controller were told of a major hazard. */
  | { type: 'enterprise_told'; data: { recipients: string[] } }
  /**
   * The round's enterprise link was texted to whoever answers for the party (the register's
   * principal, or the place's person in charge), or could not be: no mobile on file.
   */
  | {
      type: 'enterprise_link_sent';
      data: { round: number; recipient: LinkRecipient; mobileOnFile: boolean };
    }
  | { type: 'look_back_done'; data: { note: string; holding: boolean } }
  /** A lifecycle execution takes the hazard over: older generations can change nothing. */
  | { type: 'lifecycle_generation_started'; data: { generation: number } }
  | {
      type: 'escalation_step_recorded';
      data: { step: EscalationStep; round: number; dueAt: string; late: boolean };
    }
  | { type: 'escalation_step_delivered'; data: { key: string } }
  /**
   * An attempt to deliver the step begins: written on the record as it was read, so a
   * closure written in between makes the step withdrawn instead (see recordThenDeliver).
   */
  | { type: 'escalation_delivery_started'; data: { key: string; attempt: number } }
  /**
   * A recorded step that will never be delivered: the hazard was closed between its record
   * and its delivery. Its messages are not sent (a retried delivery finds this and stops).
   */
  | {
      type: 'escalation_withdrawn';
      data: { key: string; step: EscalationStep; round: number; reason: 'hazard_closed' };
    };

export interface HazardState extends HazardFacts, OversightState {
  status: HazardStatus;
  reportedAt: string;
  /**
   * The office user who recorded it (the actor of hazard_reported, when a person): whose
   * case it is on their desk's "my cases" (desk.ts).
   */
  recordedBy?: string;
  responsible?: string;
  measures?: string;
  plan?: RectificationPlan;
  /** The current round: its number, deadline and start (null before rectification). */
  round: {
    number: number;
    deadline: string;
    startedAt: string;
    reachedBefore?: string;
    reachedStep?: EscalationStep;
  } | null;
  /** The plan the enterprise proposed (the officer adopts it when rectification starts). */
  submittedPlan?: RectificationPlan;
  /** What the enterprise sent through its link, in order. */
  enterpriseUpdates: {
    at: string;
    kind: 'plan' | 'progress' | 'evidence';
    note: string;
    /** The photos it sent with the update (their hashes are on the log). */
    photoKeys?: string[];
  }[];
  /** An extension the officer asked for, awaiting the department head. */
  pendingExtension?: { deadline: string; reason: string; requestedBy: string };
  /** Set when the current round's evidence passed verification: closing needs it. */
  verifiedAt?: string;
  /** Who passed it: never the one who closes a major hazard (closure.ts). */
  verifiedBy?: { id: string; name?: string };
  /** A look-back re-inspection (回头看) of a closed hazard, when it was sampled for one. */
  lookBack?: { dueAt: string; status: 'scheduled' | 'due' | 'done' };
  enterpriseTold?: boolean;
  /** The round whose link went by SMS last, and whether a mobile was on file to send it to. */
  linkTexted?: { round: number; mobileOnFile: boolean; at: string };
  /** What the tip's timeline was last told: `${round}#${stage}`. */
  tipTold?: string;
  /**
   * Counts the decisions of people (officers, the enterprise): what an officer saw is
   * checked against it, so the workflow's own bookkeeping never makes an officer conflict.
   */
  revision: number;
  /** The lifecycle execution's generation that owns the hazard now. */
  generation: number;
  escalations: {
    key: string;
    step: EscalationStep;
    round: number;
    at: string;
    late: boolean;
    delivered: boolean;
    /** Withdrawn undelivered (the hazard was closed first): it is never delivered. */
    withdrawn?: boolean;
    /** Attempts to deliver it that have begun. */
    deliveryAttempts?: number;
  }[];
  closedAt?: string;
  /** The overdue and closed spans that have ended: what it was on a past day (history.ts). */
  history?: HazardHistory;
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
    deadline_extension_requested: ['rectifying'],
    deadline_extended: ['rectifying'],
    deadline_extension_refused: ['rectifying'],
    evidence_submitted: ['rectifying', 'verifying'],
    plan_submitted: ['reported', 'rectifying'],
    progress_reported: ['rectifying'],
    verification_passed: ['verifying'],
    verification_failed: ['verifying'],
    hazard_closed: ['verifying'],
    hazard_reopened: ['closed'],
    closed_before_import: ['reported'],
    escalation_step_recorded: ['rectifying', 'verifying'],
    escalation_step_delivered: ['rectifying', 'verifying', 'closed'],
    escalation_withdrawn: ['closed'],
    escalation_delivery_started: ['rectifying', 'verifying'],
    look_back_due: ['closed'],
    look_back_done: ['closed'],
    lifecycle_generation_started: ['reported', 'rectifying', 'verifying', 'closed'],
    enterprise_told: ['reported', 'rectifying', 'verifying', 'closed'],
    enterprise_link_sent: ['rectifying', 'verifying', 'closed'],
    tip_told: ['reported', 'rectifying', 'verifying', 'closed'],
    ...oversightStatuses,
  };
  if (!allowed[event.type].includes(state.status)) {
    throw violation(
      `当前状态（${state.status}）不能进行此操作。`,
      `Not allowed while the hazard is ${state.status}.`,
    );
  }
  const refusal = stateRefusal(state, event);
  if (refusal) throw refusal;
}

/** The rules that depend on more than the status. */
function stateRefusal(state: HazardState, event: HazardEvent): LifecycleViolation | null {
  if (isOversightEvent(event)) {
    const refusal = oversightRefusal(state, event);
    return refusal ? new LifecycleViolation(refusal) : null;
  }
  switch (event.type) {
    case 'rectification_started':
      return state.grade === 'major' && !event.data.plan
        ? violation(
            '重大事故隐患须先提交治理方案（六项内容）。',
            'A major hazard needs its six-part rectification plan first.',
          )
        : null;
    case 'deadline_extension_requested':
      if (state.round && event.data.deadline <= state.round.deadline) {
        return violation(
          '延期后的期限须晚于现期限。',
          'An extension must move the deadline later.',
        );
      }
      return null;
    case 'deadline_extended':
    case 'deadline_extension_refused':
      return state.pendingExtension
        ? null
        : violation('没有待审批的延期申请。', 'There is no extension request to decide.');
    case 'verification_passed':
    case 'verification_failed':
      return state.verifiedAt
        ? violation('本轮整改已核查通过。', 'This round already passed verification.')
        : null;
    case 'hazard_closed':
      return state.verifiedAt
        ? null
        : violation('须先核查通过才能销号。', 'The fix must pass verification before closing.');
    case 'look_back_due':
      return state.lookBack?.status === 'scheduled'
        ? null
        : violation('没有待进行的回头看。', 'No look-back is scheduled.');
    case 'look_back_done':
      return state.lookBack?.status === 'due'
        ? null
        : violation('回头看尚未到期。', 'The look-back is not due.');
    case 'escalation_withdrawn':
      return state.escalations.some(
        (entry) => entry.key === event.data.key && !entry.delivered && !entry.withdrawn,
      )
        ? null
        : violation(
            '没有可撤回的未送达督办步骤。',
            'There is no undelivered escalation step to withdraw.',
          );
    case 'lifecycle_generation_started':
      return event.data.generation > state.generation
        ? null
        : violation('工作流代次已过期。', 'That workflow generation is out of date.');
    default:
      return null;
  }
}

/** The round a hazard is in, for the escalation planner. */
export function currentRound(state: HazardState): Round | null {
  if (!state.round) return null;
  return {
    number: state.round.number,
    deadline: new Date(state.round.deadline),
    startedAt: new Date(state.round.startedAt),
    ...(state.round.reachedBefore ? { reachedBefore: new Date(state.round.reachedBefore) } : {}),
  };
}

export { hazardIdOfStream, hazardStream } from './hazard-stream.ts';

/** The ledger's index partition (gsi1): a jurisdiction's hazards listed under a status. */
export const hazardLedgerPartition = (jurisdiction: string, status: LedgerStatus) =>
  `HAZARDS#${jurisdiction}#${status}`;

/** The enterprise file's index partition (gsi2, 一企一档): one record's hazards. */
export const enterpriseHazardsPartition = (jurisdiction: string, uscc: string) =>
  `ENTERPRISE#${jurisdiction}#${uscc}`;

/**
 * The status a hazard is listed under. A closed hazard awaiting its look-back has a
 * partition of its own, so that the lifecycle finds it after a restart without reading
 * every closed hazard.
 */
export type LedgerStatus = HazardStatus | 'closed_look_back';
export const ledgerStatus = (state: HazardState): LedgerStatus =>
  state.status === 'closed' && state.lookBack && state.lookBack.status !== 'done'
    ? 'closed_look_back'
    : state.status;

/**
 * What an enterprise may send through its link on one hazard: every update is kept on the
 * hazard's state, so without a budget a link could grow the record until it no longer fits
 * in one item and stop its escalation (event-log/record-size.ts; found by an attack test).
 * A few dozen updates a round are far more than any rectification needs.
 */
export const enterpriseUpdateBudget = { updates: 100, bytes: 96 * 1024 } as const;

/** Whether one more update of this text would pass the enterprise's budget on the hazard. */
export function enterpriseBudgetSpent(state: HazardState, text: string): boolean {
  return (
    state.enterpriseUpdates.length >= enterpriseUpdateBudget.updates ||
    jsonBytes(state.enterpriseUpdates) + utf8Bytes(text) > enterpriseUpdateBudget.bytes
  );
}

/** Updates the enterprise sent are listed for it and for the officer (others' are not). */
function fromEnterprise(
  state: HazardState,
  recorded: RecordedEvent,
  kind: HazardState['enterpriseUpdates'][number]['kind'],
  note: string,
  photos: readonly EvidencePhoto[] = [],
): HazardState['enterpriseUpdates'] {
  if (recorded.actor.kind !== 'enterprise') return state.enterpriseUpdates;
  const photoKeys = photos.map((photo) => photo.key);
  return [
    ...state.enterpriseUpdates,
    { at: recorded.at, kind, note, ...(photoKeys.length > 0 ? { photoKeys } : {}) },
  ];
}

/** A failed verification or a reopening: a new round with a new deadline and ladder. */
function newRound(state: HazardState, deadline: string, at: string): HazardState {
  const {
    verifiedAt: _verified,
    verifiedBy: _verifier,
    pendingExtension: _pending,
    ...rest
  } = state;
  return {
    ...rest,
    status: 'rectifying',
    round: { number: (state.round?.number ?? 0) + 1, deadline, startedAt: at },
  };
}

export const hazardProjection: Projection<HazardState> = projectionOf<HazardState, HazardEvent>({
  apply(state, event) {
    if (event.type === 'hazard_reported') {
      return {
        ...event.data,
        status: 'reported',
        reportedAt: event.at,
        ...(event.actor.kind === 'person' ? { recordedBy: event.actor.id } : {}),
        round: null,
        enterpriseUpdates: [],
        revision: 1,
        generation: 0,
        escalations: [],
      };
    }
    if (!state) throw new Error(`hazard event ${event.type} before hazard_reported`);
    const next = withHistory(state, applyToHazard(state, event), event.at);
    return event.actor.kind === 'system' ? next : { ...next, revision: state.revision + 1 };
  },
  indexes: (state) => ({
    // The ledger: a jurisdiction's hazards by status and grade, newest first.
    gsi1pk: hazardLedgerPartition(state.jurisdiction, ledgerStatus(state)),
    gsi1sk: `${state.grade}#${state.reportedAt}#${state.hazardId}`,
    // The enterprise file (一企一档): the hazard's jurisdiction's record of the enterprise.
    // A place without a credit code has no file: its hazards are found in the ledger.
    ...(state.enterprise
      ? {
          gsi2pk: enterpriseHazardsPartition(state.jurisdiction, state.enterprise),
          gsi2sk: `HAZARD#${state.reportedAt}#${state.hazardId}`,
        }
      : {}),
    // The filtered ledger's indexes (ledger-filter.ts): grade, channel, industry, period…
    ...ledgerFilterIndexes(state, ledgerStatus(state)),
  }),
  // The statistics' counters (statistics.ts): one bucket per jurisdiction and month found.
  tally: hazardTally,
});

function applyToHazard(state: HazardState, event: Recorded<HazardEvent>): HazardState {
  if (isOversightEvent(event)) return applyOversight(state, event);
  switch (event.type) {
    case 'rectification_started':
      return {
        ...state,
        status: 'rectifying',
        responsible: event.data.responsible,
        measures: event.data.measures,
        ...(event.data.plan ? { plan: event.data.plan } : {}),
        round: {
          number: 1,
          deadline: event.data.deadline,
          startedAt: event.at,
          ...(event.data.reachedBefore ? { reachedBefore: event.data.reachedBefore } : {}),
          ...(event.data.reachedStep ? { reachedStep: event.data.reachedStep } : {}),
        },
      };
    case 'closed_before_import':
      return {
        ...state,
        status: 'closed',
        closedAt: new Date(`${event.data.closedOn}T00:00:00+08:00`).toISOString(),
      };
    case 'deadline_extension_requested':
      return {
        ...state,
        pendingExtension: {
          deadline: event.data.deadline,
          reason: event.data.reason,
          requestedBy: event.actor.id,
        },
      };
    case 'deadline_extended': {
      const { pendingExtension: _decided, ...rest } = state;
      return rest.round
        ? { ...rest, round: { ...rest.round, deadline: event.data.deadline } }
        : rest;
    }
    case 'deadline_extension_refused': {
      const { pendingExtension: _decided, ...rest } = state;
      return rest;
    }
    case 'evidence_submitted':
      return {
        ...state,
        status: 'verifying',
        enterpriseUpdates: fromEnterprise(
          state,
          event,
          'evidence',
          event.data.note,
          event.data.photos,
        ),
      };
    case 'plan_submitted':
      return {
        ...state,
        submittedPlan: event.data.plan,
        enterpriseUpdates: fromEnterprise(
          state,
          event,
          'plan',
          event.data.plan.goalAndTasks,
          event.data.photos,
        ),
      };
    case 'progress_reported':
      return {
        ...state,
        enterpriseUpdates: fromEnterprise(
          state,
          event,
          'progress',
          event.data.note,
          event.data.photos,
        ),
      };
    case 'verification_passed':
      return {
        ...state,
        verifiedAt: event.at,
        verifiedBy: {
          id: event.actor.id,
          ...(event.actor.name ? { name: event.actor.name } : {}),
        },
      };
    case 'verification_failed':
      return newRound(state, event.data.newDeadline, event.at);
    case 'hazard_closed':
      return {
        ...state,
        status: 'closed',
        closedAt: event.at,
        ...(event.data.lookBackAt
          ? { lookBack: { dueAt: event.data.lookBackAt, status: 'scheduled' as const } }
          : {}),
      };
    case 'hazard_reopened': {
      const { closedAt: _closed, lookBack: _lookBack, ...open } = state;
      return newRound(open, event.data.newDeadline, event.at);
    }
    case 'look_back_due':
      return state.lookBack ? { ...state, lookBack: { ...state.lookBack, status: 'due' } } : state;
    case 'look_back_done':
      return state.lookBack ? { ...state, lookBack: { ...state.lookBack, status: 'done' } } : state;
    case 'lifecycle_generation_started':
      return { ...state, generation: event.data.generation };
    case 'enterprise_told':
      return { ...state, enterpriseTold: true };
    case 'enterprise_link_sent':
      return {
        ...state,
        linkTexted: {
          round: event.data.round,
          mobileOnFile: event.data.mobileOnFile,
          at: event.at,
        },
      };
    case 'tip_told':
      return { ...state, tipTold: `${event.data.round}#${event.data.stage}` };
    case 'escalation_step_recorded':
      return {
        ...state,
        escalations: [
          ...state.escalations,
          {
            key: event.idempotencyKey ?? '',
            step: event.data.step,
            round: event.data.round,
            at: event.at,
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
    case 'escalation_withdrawn':
      return {
        ...state,
        escalations: state.escalations.map((entry) =>
          entry.key === event.data.key ? { ...entry, withdrawn: true } : entry,
        ),
      };
    case 'escalation_delivery_started':
      return {
        ...state,
        escalations: state.escalations.map((entry) =>
          entry.key === event.data.key
            ? { ...entry, deliveryAttempts: (entry.deliveryAttempts ?? 0) + 1 }
            : entry,
        ),
      };
    default:
      return state;
  }
}
