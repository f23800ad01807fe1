import type { Role } from '../auth/principal.ts';
import { cstDate, deadlineAfter, endOfCstDay, type HolidayCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import type { AppendResult, EventStore, Snapshot } from '../event-log/event-store.ts';
import { IdempotencyKeyReused, sameRequest } from '../event-log/idempotency.ts';
import type { Clock } from '../ports/clock.ts';
import type { HazardWorkflow } from '../ports/hazard-workflow.ts';
import { type DecisionOutcome, giveRecordCommand } from '../workflow/decisions.ts';
import { closureRefusal, signOffOf } from './closure.ts';
import type { EscalationPolicy } from './escalation.ts';
import { type EvidencePhoto, type PhotosGiven, photosFor } from './evidence.ts';
import {
  checkTransition,
  type HazardEvent,
  type HazardFacts,
  type HazardState,
  hazardProjection,
  hazardStream,
  LifecycleViolation,
  type RectificationPlan,
} from './hazard.ts';
import { type LookBackPolicy, lookBackAt } from './look-back.ts';
import { nextDateRefusal } from './oversight.ts';

/**
 * What people do to a hazard, as commands: each becomes one event on the hazard's log
 * (checked by the lifecycle's rules), and then the workflow is woken. Deadlines are given
 * as a CST date (ending 24:00) or as a number of working days from today.
 */
export type DeadlineInput = { date: string } | { workingDays: number };

export type HazardCommand =
  | {
      type: 'start_rectification';
      responsible: string;
      measures: string;
      deadline: DeadlineInput;
      plan?: RectificationPlan;
    }
  | { type: 'request_extension'; deadline: DeadlineInput; reason: string }
  | { type: 'approve_extension' }
  | { type: 'refuse_extension'; reason: string }
  | ({ type: 'submit_evidence'; note: string; photoKeys: string[] } & PhotosGiven)
  /** From the enterprise, through its link. */
  | ({ type: 'submit_plan'; plan: RectificationPlan } & PhotosGiven)
  | ({ type: 'report_progress'; note: string; photoKeys: string[] } & PhotosGiven)
  | ({ type: 'pass_verification'; note: string; onSite: boolean } & PhotosGiven)
  | ({ type: 'fail_verification'; reasons: string; newDeadline: DeadlineInput } & PhotosGiven)
  | { type: 'close'; note: string }
  | { type: 'reopen'; reason: string; newDeadline: DeadlineInput }
  | { type: 'record_look_back'; note: string; holding: boolean }
  /** Leaders' decisions (oversight.ts). */
  | { type: 'record_summons'; attendees: string; agreed: string; nextDate: string }
  | { type: 'place_listed_supervision'; documentNumber: string; reason: string }
  | { type: 'lift_listed_supervision'; documentNumber: string; reason: string }
  | { type: 'approve_exposure'; documentNumber: string; reason: string }
  | { type: 'withdraw_exposure'; reason: string };

export type HazardCommandType = HazardCommand['type'];

/** Who may give each command (RULES.md, "Who is who"): the server checks the token's roles. */
export const commandRoles: Record<HazardCommandType, readonly OfficeRole[]> = {
  start_rectification: ['officer'],
  request_extension: ['officer'],
  approve_extension: ['department_head'],
  refuse_extension: ['department_head'],
  submit_evidence: ['officer'],
  // The enterprise's own, through its link: no office role gives them.
  submit_plan: [],
  report_progress: [],
  pass_verification: ['officer'],
  fail_verification: ['officer'],
  // Who signs off depends on the grade and the jurisdiction's policy: closure.ts decides.
  close: ['officer', 'department_head'],
  reopen: ['officer'],
  record_look_back: ['officer'],
  // The leader in charge holds summons; the principal leader may too. Listing and public
  // exposure are the principal leader's (the top of the ladder).
  record_summons: ['leader_in_charge', 'principal_leader'],
  place_listed_supervision: ['principal_leader'],
  lift_listed_supervision: ['principal_leader'],
  approve_exposure: ['principal_leader'],
  withdraw_exposure: ['principal_leader'],
};

type OfficeRole = 'officer' | 'department_head' | 'leader_in_charge' | 'principal_leader';

export interface HazardCommandDependencies {
  events: EventStore;
  clock: Clock;
  calendar: HolidayCalendar;
  policy: EscalationPolicy;
  lookBack: LookBackPolicy;
  workflow: HazardWorkflow;
}

export function deadlineOf(input: DeadlineInput, now: Date, calendar: HolidayCalendar): string {
  const deadline =
    'date' in input
      ? endOfCstDay(input.date)
      : deadlineAfter(calendar, now, { days: input.workingDays, unit: 'working' });
  if (deadline <= now) {
    throw new LifecycleViolation({
      zh: `期限（${cstDate(new Date(deadline.getTime() - 1))}）已过，请选择今天或以后的日期。`,
      en: `That deadline (${cstDate(new Date(deadline.getTime() - 1))}) has passed: choose today or later.`,
    });
  }
  return deadline.toISOString();
}

/** The event a command stands for, given the hazard as it is now. */
export function eventFor(
  state: HazardState,
  command: HazardCommand,
  context: { now: Date; actor: Actor; enterpriseName?: string; roles?: readonly Role[] } & Pick<
    HazardCommandDependencies,
    'calendar' | 'lookBack' | 'policy'
  >,
): HazardEvent {
  const deadline = (input: DeadlineInput) => deadlineOf(input, context.now, context.calendar);
  // A step's photos: this hazard's own, each with the hash of its stored copy.
  const evidence = (given: PhotosGiven): EvidencePhoto[] => {
    const outcome = photosFor(state.hazardId, given);
    if ('refusal' in outcome) throw new LifecycleViolation(outcome.refusal);
    return outcome.photos;
  };
  const withPhotos = (photos: EvidencePhoto[]) => (photos.length > 0 ? { photos } : {});
  switch (command.type) {
    case 'start_rectification':
      return {
        type: 'rectification_started',
        data: {
          responsible: command.responsible,
          measures: command.measures,
          deadline: deadline(command.deadline),
          ...(command.plan ? { plan: command.plan } : {}),
        },
      };
    case 'request_extension':
      return {
        type: 'deadline_extension_requested',
        data: { deadline: deadline(command.deadline), reason: command.reason },
      };
    case 'approve_extension': {
      const pending = state.pendingExtension;
      return {
        type: 'deadline_extended',
        data: {
          deadline: pending?.deadline ?? '',
          reason: pending?.reason ?? '',
          approvedBy: context.actor.id,
        },
      };
    }
    case 'refuse_extension':
      return { type: 'deadline_extension_refused', data: { reason: command.reason } };
    case 'submit_evidence': {
      const photos = evidence(command);
      return {
        type: 'evidence_submitted',
        data: {
          note: command.note,
          photoKeys: photos.map((photo) => photo.key),
          ...withPhotos(photos),
        },
      };
    }
    case 'submit_plan':
      return {
        type: 'plan_submitted',
        data: { plan: command.plan, ...withPhotos(evidence(command)) },
      };
    case 'report_progress': {
      const photos = evidence(command);
      return {
        type: 'progress_reported',
        data: {
          note: command.note,
          photoKeys: photos.map((photo) => photo.key),
          ...withPhotos(photos),
        },
      };
    }
    case 'pass_verification':
      return {
        type: 'verification_passed',
        data: { note: command.note, onSite: command.onSite, ...withPhotos(evidence(command)) },
      };
    case 'fail_verification':
      return {
        type: 'verification_failed',
        data: {
          reasons: command.reasons,
          newDeadline: deadline(command.newDeadline),
          ...withPhotos(evidence(command)),
        },
      };
    case 'close': {
      const refused = closureRefusal(
        state,
        { id: context.actor.id, ...(context.roles ? { roles: context.roles } : {}) },
        context.policy.closure,
      );
      if (refused) throw refused;
      const signOff = signOffOf(state, context.policy.closure);
      const at = lookBackAt(
        state,
        context.now,
        context.lookBack,
        context.calendar,
        context.policy.officeHours,
      );
      return {
        type: 'hazard_closed',
        data: {
          note: command.note,
          ...(at ? { lookBackAt: at } : {}),
          ...(signOff.secondPerson ? { signedOffAs: signOff.role } : {}),
        },
      };
    }
    case 'reopen':
      return {
        type: 'hazard_reopened',
        data: { reason: command.reason, newDeadline: deadline(command.newDeadline) },
      };
    case 'record_look_back':
      return { type: 'look_back_done', data: { note: command.note, holding: command.holding } };
    case 'record_summons': {
      const refusal = nextDateRefusal(command.nextDate, cstDate(context.now));
      if (refusal) throw new LifecycleViolation(refusal);
      return {
        type: 'summons_held',
        data: { attendees: command.attendees, agreed: command.agreed, nextDate: command.nextDate },
      };
    }
    case 'place_listed_supervision':
      return {
        type: 'listed_supervision_placed',
        data: { documentNumber: command.documentNumber, reason: command.reason },
      };
    case 'lift_listed_supervision':
      return {
        type: 'listed_supervision_lifted',
        data: { documentNumber: command.documentNumber, reason: command.reason },
      };
    case 'approve_exposure':
      return {
        type: 'exposure_approved',
        data: {
          documentNumber: command.documentNumber,
          reason: command.reason,
          ...(context.enterpriseName ? { enterpriseName: context.enterpriseName } : {}),
        },
      };
    case 'withdraw_exposure':
      return { type: 'exposure_withdrawn', data: { reason: command.reason } };
  }
}

export type CommandOutcome = DecisionOutcome<HazardState>;

/**
 * Gives a command to a hazard: see decideOnRecord for conflicts, retries and waking. The
 * event records the command's digest (its data holds deadlines computed when it was
 * given), so a retry is told from the key reused for another command (IdempotencyKeyReused).
 */
export async function giveCommand(
  deps: HazardCommandDependencies,
  request: {
    hazardId: string;
    command: HazardCommand;
    actor: Actor;
    /** The signer's roles, where a rule depends on them (who closes a major hazard). */
    roles?: readonly Role[];
    idempotencyKey: string;
    expectedRevision?: number;
    /** The enterprise's registered name, for an exposure (the register is not the domain's). */
    enterpriseName?: string;
  },
): Promise<CommandOutcome> {
  return giveRecordCommand({
    ...request,
    events: deps.events,
    stream: hazardStream(request.hazardId),
    projection: hazardProjection,
    now: () => deps.clock.now(),
    decide: (state, now) => {
      const event = eventFor(state, request.command, {
        ...deps,
        now,
        actor: request.actor,
        ...(request.enterpriseName ? { enterpriseName: request.enterpriseName } : {}),
        ...(request.roles ? { roles: request.roles } : {}),
      });
      checkTransition(state, event);
      return event;
    },
    wake: () => deps.workflow.wake(request.hazardId),
  });
}

/**
 * Records a new hazard from any channel and starts its lifecycle. A hazard already there,
 * recorded under the same key (or, keyless, by the same request digest: an imported row),
 * must have been recorded from the same request: else IdempotencyKeyReused, and nothing is
 * written. Recorded under another key (a tip recorded again), it is a plain duplicate.
 */
export async function recordHazard(
  deps: Pick<HazardCommandDependencies, 'events' | 'clock' | 'workflow'>,
  request: {
    facts: HazardFacts;
    actor: Actor;
    idempotencyKey?: string;
    requestDigest?: string;
    /** The caller appends the record's next event at once, and its state with it. */
    stateLater?: boolean;
  },
): Promise<{ snapshot: Snapshot<HazardState>; duplicate: boolean }> {
  const event: HazardEvent = { type: 'hazard_reported', data: request.facts };
  const stream = hazardStream(request.facts.hazardId);
  const refuseOtherRequest = async () => {
    if (request.idempotencyKey === undefined && request.requestDigest === undefined) return;
    const [first] = await deps.events.read(stream);
    if (
      first &&
      first.idempotencyKey === request.idempotencyKey &&
      !sameRequest(first, {
        ...event,
        ...(request.requestDigest ? { requestDigest: request.requestDigest } : {}),
      })
    ) {
      throw new IdempotencyKeyReused();
    }
  };
  const existing = await deps.events.load(stream, hazardProjection);
  if (existing) {
    await refuseOtherRequest();
    return { snapshot: existing, duplicate: true };
  }
  checkTransition(null, event);
  const result: AppendResult<HazardState> = await deps.events.append(
    stream,
    null,
    {
      ...event,
      at: deps.clock.now().toISOString(),
      actor: request.actor,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
      ...(request.requestDigest ? { requestDigest: request.requestDigest } : {}),
    },
    hazardProjection,
    { stateLater: request.stateLater ?? false },
  );
  const snapshot = result.kind === 'conflict' ? result.current : result.snapshot;
  if (!snapshot) throw new Error(`The hazard ${request.facts.hazardId} could not be recorded`);
  // Another request got there first: it may have been this one's retry, or not.
  if (result.kind !== 'appended') await refuseOtherRequest();
  await deps.workflow.wake(request.facts.hazardId);
  return { snapshot, duplicate: result.kind !== 'appended' };
}
