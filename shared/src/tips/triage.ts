import { cstDate, type HolidayCalendar } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import type { EventStore } from '../event-log/event-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { CaseOutcome, RewardPolicy } from '../rewards/reward-policy.ts';
import { splitReward } from '../rewards/reward-split.ts';
import { type DecisionOutcome, giveRecordCommand } from '../workflow/decisions.ts';
import { noticeDueByOf } from './notice-due.ts';
import { approvalDeadlines } from './reward-claim.ts';
import { type TipTimeLimits, tipDeadline } from './time-limits.ts';
import { tipProjection } from './tip-projection.ts';
import { checkTipTransition, rewardFor, TipRuleViolation } from './tip-rules.ts';
import {
  type RefusalReason,
  type TipEvent,
  type TipFinding,
  type TipState,
  tipStream,
} from './tip-state.ts';

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
  | { type: 'give_feedback'; text: string }
  /** The case result on a substantiated tip, with its document number (文书编号). */
  | { type: 'record_outcome'; outcome: CaseOutcome; documentNumber: string }
  /** The policy's amount, or an adjusted one (in fen) with a reason. */
  | { type: 'compute_reward'; adjustedAmountFen?: number; reason?: string }
  /** By another reward officer than the one who computed it. */
  | { type: 'approve_reward' }
  /**
   * Joint tipsters (RULES.md: they share one reward): the tips merged into this one that
   * were sent jointly with it, in the order they were received (the handler checks each is
   * merged into this tip, in its jurisdiction). Before the approval, which splits the reward.
   */
  | { type: 'record_joint_tipsters'; tipIds: string[] }
  /**
   * A claimed reward paid: the date and the voucher; for a claim in person, the keyed hash
   * of the code the claimant showed (the handler hashes what the reward officer typed).
   */
  | { type: 'record_payment'; paidOn: string; voucherNumber: string; claimCodeHash?: string };

export type TipCommandType = TipCommand['type'];

/**
 * Who may give each command (RULES.md, "Who is who"): the verification limit is extended
 * "with the approval of the level above", the head of the officer's department.
 */
export const tipCommandRoles: Record<
  TipCommandType,
  readonly ('officer' | 'department_head' | 'reward_officer')[]
> = {
  accept: ['officer'],
  refuse: ['officer'],
  refer: ['officer'],
  merge: ['officer'],
  start_investigation: ['officer'],
  record_finding: ['officer'],
  approve_extension: ['department_head'],
  give_feedback: ['officer'],
  record_outcome: ['officer'],
  compute_reward: ['reward_officer'],
  approve_reward: ['reward_officer'],
  record_joint_tipsters: ['officer'],
  record_payment: ['reward_officer'],
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
  /**
   * The jurisdiction's reward policy in force now: written on a substantiated finding, it
   * is the one the tip's reward is computed by. Absent: nothing written (the national rule).
   */
  rewardPolicy?: RewardPolicy;
}

/**
 * The event a command stands for. The deadlines the jurisdiction's limits give are written
 * on the event, so that a later change of policy does not move a running limit.
 */
export function tipEventFor(
  command: TipCommand,
  context: { now: Date; actor: Actor; state?: TipState | null } & Pick<
    TipCommandDependencies,
    'calendar' | 'limits' | 'rewardPolicy'
  >,
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
          ...(command.finding === 'substantiated' && context.rewardPolicy
            ? { rewardPolicy: context.rewardPolicy }
            : {}),
        },
      };
    case 'approve_extension':
      return {
        type: 'verification_extension_approved',
        data: { days: command.days, reason: command.reason, approvedBy: context.actor.id },
      };
    case 'give_feedback':
      return { type: 'feedback_given', data: { text: command.text } };
    case 'record_outcome': {
      const noticeDue = context.state && noticeDueByOf(context.state, context.calendar);
      return {
        type: 'outcome_recorded',
        data: {
          outcome: command.outcome,
          documentNumber: command.documentNumber,
          // Kept by the lifecycle until the approval (reward-notice.ts).
          ...(noticeDue ? { noticeDueBy: noticeDue } : {}),
        },
      };
    }
    case 'compute_reward': {
      const computation = context.state ? rewardFor(context.state) : undefined;
      // No result recorded: the tip's rules refuse it (an empty computation never stands).
      const computed = computation ?? {
        amountFen: 0,
        policyVersion: '',
        rule: { zh: '', en: '' },
        figures: { zh: '', en: '' },
      };
      return {
        type: 'reward_computed',
        data: {
          computation: computed,
          amountFen: command.adjustedAmountFen ?? computed.amountFen,
          ...(command.reason ? { adjustmentReason: command.reason } : {}),
          computedBy: context.actor.id,
        },
      };
    }
    case 'approve_reward': {
      const amountFen = context.state?.reward?.amountFen ?? 0;
      const joint = context.state?.jointTipIds ?? [];
      // This tip's share first (its tipster was first), then the others in receipt order.
      const shares = joint.length
        ? splitReward(amountFen, joint.length + 1).map((share, index) => ({
            tipId: index === 0 ? (context.state?.tipId ?? '') : (joint[index - 1] ?? ''),
            amountFen: share,
          }))
        : undefined;
      return {
        type: 'reward_approved',
        data: {
          amountFen,
          approvedBy: context.actor.id,
          ...(shares ? { shares } : {}),
          // The approval is the notice: the claim deadline runs from it.
          ...(context.state ? approvalDeadlines(context.state, context.now, context.calendar) : {}),
        },
      };
    }
    case 'record_joint_tipsters':
      return { type: 'joint_tipsters_recorded', data: { tipIds: command.tipIds } };
    case 'record_payment':
      if (command.paidOn > cstDate(context.now)) {
        throw new TipRuleViolation({
          zh: '兑付日期不能晚于今天。',
          en: 'The payment cannot be dated after today.',
        });
      }
      return {
        type: 'payment_recorded',
        data: {
          paidOn: command.paidOn,
          voucherNumber: command.voucherNumber,
          ...(command.claimCodeHash ? { claimCodeHash: command.claimCodeHash } : {}),
        },
      };
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
  return giveRecordCommand({
    ...request,
    events: deps.events,
    stream: tipStream(request.tipId),
    projection: tipProjection,
    now: () => deps.clock.now(),
    decide: (state, now) => {
      const event = tipEventFor(request.command, { ...deps, now, actor: request.actor, state });
      checkTipTransition(state, event, deps.limits);
      return event;
    },
    wake: () => deps.workflow.wake(request.tipId),
  });
}
