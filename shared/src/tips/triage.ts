import type { HolidayCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import type { EventStore } from '../event-log/event-store.ts';
import { refuseReusedKey, requestDigest } from '../event-log/idempotency.ts';
import type { Clock } from '../ports/clock.ts';
import { type DecisionOutcome, decideOnRecord } from '../workflow/decisions.ts';
import { type TipTimeLimits, tipDeadline } from './time-limits.ts';
import {
  checkTipTransition,
  type RefusalReason,
  type TipEvent,
  type TipFinding,
  type TipState,
  tipProjection,
  tipStream,
} from './tip.ts';

/**
 * What the office does with a tip (RULES.md, "Tips and rewards" and "Time limits on a
 * tip"), as commands: each becomes one event on the tip's log, checked by the tip's rules,
 * and then the tip's workflow is woken, exactly as for hazards (hazards/commands.ts).
 */
export type TipCommand =
  | { type: 'accept' }
  | { type: 'refuse'; reason: RefusalReason; note?: string }
  | { type: 'refer'; department: string; note?: string }
  | { type: 'merge'; intoTipId: string }
  | { type: 'start_investigation' }
  | { type: 'record_finding'; finding: TipFinding; note: string; hazardId?: string }
  | { type: 'approve_extension'; days: number; reason: string }
  | { type: 'give_feedback'; text: string };

export type TipCommandType = TipCommand['type'];

/**
 * Who may give each command (RULES.md, "Who is who"): the verification limit is extended
 * "with the approval of the level above", the head of the officer's department.
 */
export const tipCommandRoles: Record<TipCommandType, readonly ('officer' | 'department_head')[]> = {
  accept: ['officer'],
  refuse: ['officer'],
  refer: ['officer'],
  merge: ['officer'],
  start_investigation: ['officer'],
  record_finding: ['officer'],
  approve_extension: ['department_head'],
  give_feedback: ['officer'],
};

/** Port: wakes (or starts) a tip's lifecycle after a decision is on its record. */
export interface TipWorkflow {
  wake(tipId: string): Promise<void>;
}

export interface TipCommandDependencies {
  events: EventStore;
  clock: Clock;
  calendar: HolidayCalendar;
  limits: TipTimeLimits;
  workflow: TipWorkflow;
}

/**
 * The event a command stands for. The deadlines the jurisdiction's limits give are written
 * on the event, so that a later change of policy does not move a running limit.
 */
export function tipEventFor(
  command: TipCommand,
  context: { now: Date; actor: Actor } & Pick<TipCommandDependencies, 'calendar' | 'limits'>,
): TipEvent {
  switch (command.type) {
    case 'accept':
      return {
        type: 'tip_accepted',
        data: {
          verifyDeadline: tipDeadline(
            context.limits.verify,
            context.now,
            context.calendar,
          ).toISOString(),
        },
      };
    case 'refuse':
      return {
        type: 'tip_refused',
        data: { reason: command.reason, ...(command.note ? { note: command.note } : {}) },
      };
    case 'refer':
      return {
        type: 'tip_referred',
        data: { department: command.department, ...(command.note ? { note: command.note } : {}) },
      };
    case 'merge':
      // The other tip is not changed here: the handler may add a note to it.
      return { type: 'tip_merged', data: { intoTipId: command.intoTipId } };
    case 'start_investigation':
      return { type: 'investigation_started', data: {} };
    case 'record_finding':
      return {
        type: 'investigation_recorded',
        data: {
          finding: command.finding,
          note: command.note,
          ...(command.hazardId ? { hazardId: command.hazardId } : {}),
          feedbackDeadline: tipDeadline(
            context.limits.feedback,
            context.now,
            context.calendar,
          ).toISOString(),
        },
      };
    case 'approve_extension':
      return {
        type: 'verification_extension_approved',
        data: { days: command.days, reason: command.reason, approvedBy: context.actor.id },
      };
    case 'give_feedback':
      return { type: 'feedback_given', data: { text: command.text } };
  }
}

export type TipCommandOutcome = DecisionOutcome<TipState>;

/**
 * Gives a command to a tip: see decideOnRecord for conflicts, retries and waking. As for
 * hazards, the event records the command's digest (the office's own words, recorded in
 * plain beside it), so a key reused for another command is refused (IdempotencyKeyReused).
 */
export async function giveTipCommand(
  deps: TipCommandDependencies,
  request: {
    tipId: string;
    command: TipCommand;
    actor: Actor;
    idempotencyKey: string;
    expectedRevision?: number;
  },
): Promise<TipCommandOutcome> {
  const stream = tipStream(request.tipId);
  const digest = await requestDigest(request.command);
  const outcome = await decideOnRecord({
    events: deps.events,
    stream,
    projection: tipProjection,
    idempotencyKey: request.idempotencyKey,
    actor: request.actor,
    now: () => deps.clock.now(),
    ...(request.expectedRevision === undefined
      ? {}
      : { expectedRevision: request.expectedRevision }),
    decide: (state, now) => {
      const event = tipEventFor(request.command, { ...deps, now, actor: request.actor });
      checkTipTransition(state, event, deps.limits);
      return { ...event, requestDigest: digest };
    },
    wake: () => deps.workflow.wake(request.tipId),
  });
  if (outcome.kind === 'done' && outcome.duplicate) {
    await refuseReusedKey(deps.events, stream, request.idempotencyKey, digest);
  }
  return outcome;
}
