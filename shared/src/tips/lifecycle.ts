import { cstDate, type HolidayCalendar } from '../calendar/calendar.ts';
import type { EventStore, Snapshot } from '../event-log/event-store.ts';
import type { EscalationPolicy } from '../hazards/escalation.ts';
import type { Clock } from '../ports/clock.ts';
import type { Notifier } from '../ports/outbox.ts';
import {
  afterRecording,
  appendAsGeneration,
  claimGeneration,
  dueForRenewal,
  nextGenerationOf,
  outstanding,
  type PlannedSnapshots,
  recordThenDeliver,
  type StepsRecorded,
  spreadSeconds,
  type TurnInput,
  type TurnPlan,
  waitSeconds,
} from '../workflow/turns.ts';
import {
  type ClaimReminderPolicy,
  claimReminderMessage,
  claimReminderNotificationKey,
  planClaimDeadline,
  reminderToSend,
  tipsterPhoneAddress,
} from './claim-deadline.ts';
import { grantJointShares, jointSharesPending, sharesGrantedKey } from './joint-tipsters.ts';
import {
  type NoticeReminderPolicy,
  noticeDueByOf,
  noticeReminderMessage,
  noticeReminderNotificationKey,
  noticeReminderToSend,
  planRewardNotice,
  rewardOfficersAddress,
} from './reward-notice.ts';
import { planTipLimits, runningLimit, type TipLimit, type TipTimeLimits } from './time-limits.ts';
import { tipProjection } from './tip-projection.ts';
import {
  type TipEvent,
  type TipState,
  type TipTimeLimitStepEntry,
  tipStream,
} from './tip-state.ts';

/**
 * The work of a tip's lifecycle workflow, free of Step Functions, with the same contract
 * as the hazard's (hazards/lifecycle.ts): plan a turn from the record and the clock; record
 * the due time-limit steps once and deliver them at least once. Each execution claims its
 * generation on the tip's log first; a stale generation changes nothing and ends.
 *
 * Messages name only the tip by the first 8 characters of its id, the jurisdiction and the
 * limit: nothing of what the tipster wrote. Officers open the console for the rest.
 */
export interface TipLifecycleDependencies {
  events: EventStore;
  notifier: Notifier;
  clock: Clock;
  limits: TipTimeLimits;
  calendar: HolidayCalendar;
  officeHours: EscalationPolicy['officeHours'];
  /** A tip's offset after a step's time (default: spreadSeconds); tests to the minute: 0. */
  spread?: (id: string) => number;
  /** The reminder before a reward's claim deadline (default: defaultClaimReminderPolicy). */
  claimReminder?: ClaimReminderPolicy;
  /** The reminder before a reward's notice deadline (default: defaultNoticeReminderPolicy). */
  noticeReminder?: NoticeReminderPolicy;
  /**
   * Wakes a joint tip's lifecycle once its share is written. Absent: not woken here; the
   * share is a person's change, so the reconciler wakes it (joint-tipsters.ts).
   */
  wake?: (tipId: string) => Promise<void>;
  /** Plan hands the tip it planned an escalation from to RecordDueSteps (one process). */
  plannedTips?: PlannedSnapshots<TipState>;
}

export interface TipTurnInput extends TurnInput {
  tipId: string;
}

const systemActor = { kind: 'system' as const, id: 'tip-lifecycle' };

const plan = (deps: TipLifecycleDependencies, state: TipState) =>
  planTipLimits({
    state,
    now: deps.clock.now(),
    limits: deps.limits,
    calendar: deps.calendar,
    officeHours: deps.officeHours,
  });

/** The claim deadline of an approved, unclaimed reward (claim-deadline.ts). */
const claimPlan = (deps: TipLifecycleDependencies, state: TipState) =>
  planClaimDeadline({
    state,
    now: deps.clock.now(),
    calendar: deps.calendar,
    officeHours: deps.officeHours,
    ...(deps.claimReminder ? { policy: deps.claimReminder } : {}),
    lateAfterMinutes: deps.limits.lateAfterMinutes,
  });

/** The notice deadline of a reward due and not approved (reward-notice.ts). */
const noticePlan = (deps: TipLifecycleDependencies, state: TipState) =>
  planRewardNotice({
    state,
    now: deps.clock.now(),
    calendar: deps.calendar,
    officeHours: deps.officeHours,
    ...(deps.noticeReminder ? { policy: deps.noticeReminder } : {}),
    lateAfterMinutes: deps.limits.lateAfterMinutes,
  });

const logOf = (deps: TipLifecycleDependencies) => ({
  events: deps.events,
  clock: deps.clock,
  projection: tipProjection,
  actor: systemActor,
});

/** The generation the next execution of a tip must carry. */
export const nextTipGeneration = (events: EventStore, tipId: string) =>
  nextGenerationOf(events, tipStream(tipId), tipProjection);

/**
 * The next move of a tip's execution: 'escalate' when a step is due or undelivered, 'wait'
 * until the next step while a limit runs (or until a decision wakes it), 'done' once the
 * tip is final or closed (or the execution is stale), 'renew' when it is time to hand over.
 */
export async function planTipTurn(
  deps: TipLifecycleDependencies,
  input: TipTurnInput,
): Promise<TurnPlan> {
  const turn = (input.turn ?? 0) + 1;
  const stream = tipStream(input.tipId);
  deps.plannedTips?.take(stream);
  const loaded = await deps.events.load(stream, tipProjection);
  if (!loaded) return { action: 'done', timeoutSeconds: 1, turn, version: 0 };
  const snapshot = await claimGeneration(logOf(deps), loaded, input.generation);
  if (!snapshot) return { action: 'done', timeoutSeconds: 1, turn, version: loaded.version };
  const next = planFrom(deps, snapshot, input, turn);
  if (next.action === 'escalate') deps.plannedTips?.keep(snapshot);
  return next;
}

/** A turn's plan from the tip as this generation holds it and the clock. */
function planFrom(
  deps: TipLifecycleDependencies,
  snapshot: Snapshot<TipState>,
  input: TipTurnInput,
  turn: number,
): TurnPlan {
  const { version, state } = snapshot;
  const now = deps.clock.now();
  if (dueForRenewal(input, turn, now)) return { action: 'renew', timeoutSeconds: 1, turn, version };
  const limits = plan(deps, state);
  const claim = claimPlan(deps, state);
  const notice = noticePlan(deps, state);
  if (
    limits.due.length ||
    claim.due.length ||
    notice.due.length ||
    jointSharesPending(state) ||
    reminderToSend(state) ||
    noticeReminderToSend(state) ||
    state.timeLimitSteps.some(outstanding)
  ) {
    return { action: 'escalate', timeoutSeconds: 1, turn, version };
  }
  // A reward due keeps the lifecycle alive until its notice and claim deadlines, tip closed
  // or not.
  if (!runningLimit(state) && !claim.waiting && !notice.waiting) {
    return { action: 'done', timeoutSeconds: 1, turn, version };
  }
  const next = [limits.nextAt, claim.nextAt, notice.nextAt]
    .filter((at): at is Date => at !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const timeoutSeconds = waitSeconds(
    now,
    next ?? null,
    (deps.spread ?? spreadSeconds)(state.tipId),
  );
  return { action: 'wait', timeoutSeconds, turn, version };
}

/**
 * Records every due step on the log exactly once (the step key is the idempotency key), in
 * due-time order; then delivers each recorded, undelivered step's messages, each carrying the
 * step key, and marks it delivered. A crash between the two delivers again: at least once.
 * A step whose limit stopped running before its delivery began is withdrawn on the log
 * instead. A stale generation records and sends nothing.
 */
export async function recordDueTipSteps(
  deps: TipLifecycleDependencies,
  input: TipTurnInput,
): Promise<StepsRecorded> {
  const stream = tipStream(input.tipId);
  const loaded = deps.plannedTips?.take(stream) ?? (await deps.events.load(stream, tipProjection));
  const { snapshot, ...counts } = await recordThenDeliver<
    TipState,
    TipEvent,
    TipTimeLimitStepEntry
  >(logOf(deps), loaded, input.generation, {
    most: Math.max(
      deps.limits.accept.ladder.length,
      deps.limits.verify.ladder.length,
      deps.limits.feedback.ladder.length,
    ),
    nextDue: (state) => {
      const [due] = plan(deps, state).due;
      if (!due) return null;
      return {
        type: 'time_limit_step_recorded',
        data: {
          limit: due.limit,
          step: due.step,
          dueAt: due.dueAt.toISOString(),
          late: due.late,
        },
        idempotencyKey: due.key,
      };
    },
    // The claim's reminder and lapse: recorded once each; the reminder then sent to the
    // tipster's sealed phone, when they left one (claim-deadline.ts).
    between: async (loaded) => {
      const snapshot = await completeJointShares(deps, loaded, input.generation);
      if (!snapshot) return null;
      const recorded = await recordClaimSteps(deps, snapshot, input.generation);
      const reminded = recorded && (await sendClaimReminder(deps, recorded, input.generation));
      const noticed = reminded && (await recordNoticeSteps(deps, reminded, input.generation));
      return noticed && sendNoticeReminder(deps, noticed, input.generation);
    },
    recordedSteps: (state) => state.timeLimitSteps,
    deliver: (state, entry) => deliver(deps, state, entry),
    delivered: (entry) => ({
      type: 'time_limit_step_delivered',
      data: { key: entry.key },
      idempotencyKey: `${entry.key}#delivered`,
    }),
    // A reminder or an overdue notice for a limit that no longer runs (the officer acted
    // meanwhile, or the tip is final) is withdrawn, never sent late to nobody's purpose.
    withdrawal: (state, entry) =>
      runningLimit(state)?.limit === entry.limit
        ? null
        : {
            type: 'time_limit_step_withdrawn',
            data: { key: entry.key, reason: 'limit_met' },
            idempotencyKey: `${entry.key}#withdrawn`,
          },
    started: (entry) => {
      const attempt = (entry.deliveryAttempts ?? 0) + 1;
      return {
        type: 'time_limit_delivery_started',
        data: { key: entry.key, attempt },
        idempotencyKey: `${entry.key}#started#${attempt}`,
      };
    },
  });
  const turn = input.turn ?? 0;
  return {
    ...counts,
    next: afterRecording(snapshot && planFrom(deps, snapshot, input, turn), turn),
  };
}

/**
 * After an approval that split the reward among joint tips: writes every share still
 * missing on its tip (each once, by key: the approval may have written some or all before
 * it crashed, or be retried meanwhile), then notes on this tip that they are all written.
 * A crash before the note does it all again next turn, writing nothing twice.
 */
async function completeJointShares(
  deps: TipLifecycleDependencies,
  snapshot: Snapshot<TipState>,
  generation: number,
): Promise<Snapshot<TipState> | null> {
  if (!jointSharesPending(snapshot.state)) return snapshot;
  await grantJointShares(
    {
      events: deps.events,
      clock: deps.clock,
      ...(deps.wake ? { workflow: { wake: deps.wake } } : {}),
    },
    snapshot.state,
  );
  return appendAsGeneration<TipState, TipEvent>(logOf(deps), snapshot, generation, (state) =>
    jointSharesPending(state)
      ? {
          type: 'reward_shares_granted',
          data: { tipIds: (state.reward?.shares ?? []).map((share) => share.tipId) },
          idempotencyKey: sharesGrantedKey(state.tipId),
        }
      : null,
  );
}

/**
 * Appends the event each turn of `next` gives (a deadline's due steps, in order), each once
 * (its key), at most two: a reminder, then its deadline.
 */
async function recordDeadlineSteps(
  deps: TipLifecycleDependencies,
  loaded: Snapshot<TipState>,
  generation: number,
  next: Parameters<typeof appendAsGeneration<TipState, TipEvent>>[3],
): Promise<Snapshot<TipState> | null> {
  let snapshot: Snapshot<TipState> | null = loaded;
  for (let step = 0; snapshot && step < 2; step += 1) {
    const before: number = snapshot.version;
    snapshot = await appendAsGeneration<TipState, TipEvent>(
      logOf(deps),
      snapshot,
      generation,
      next,
    );
    if (!snapshot || snapshot.version === before) break;
  }
  return snapshot;
}

/** Records the claim's due steps, reminder before lapse, each once (its key). */
const recordClaimSteps = (
  deps: TipLifecycleDependencies,
  loaded: Snapshot<TipState>,
  generation: number,
) =>
  recordDeadlineSteps(deps, loaded, generation, (state) => {
    const [due] = claimPlan(deps, state).due;
    const claimBy = state.reward?.claimBy;
    if (!due || !claimBy) return null;
    return due.step === 'lapse'
      ? { type: 'reward_lapsed', data: { claimBy }, idempotencyKey: due.key }
      : {
          type: 'reward_claim_reminder_recorded',
          // Messaged when there is a phone to send it to; recorded either way.
          data: {
            dueAt: due.dueAt.toISOString(),
            claimBy,
            late: due.late,
            messaged: Boolean(state.contactSealed),
          },
          idempotencyKey: due.key,
        };
  });

/**
 * Sends a recorded reminder to the tipster's sealed phone, then records it sent: at least
 * once, and once by its key (the delivery ledger, the outbox). The message is addressed to
 * the tip, not to a number: the delivery opens the seal as it sends (and logs that on the
 * tip). Only while the reward awaits its claim: a reward claimed meanwhile is not reminded.
 */
async function sendClaimReminder(
  deps: TipLifecycleDependencies,
  snapshot: Snapshot<TipState>,
  generation: number,
): Promise<Snapshot<TipState> | null> {
  const { state } = snapshot;
  const claimBy = state.reward?.claimBy;
  if (!reminderToSend(state) || !claimBy) return snapshot;
  const message = claimReminderMessage(claimBy);
  await deps.notifier.send({
    key: await claimReminderNotificationKey(state.tipId),
    channel: 'sms',
    to: tipsterPhoneAddress(state.tipId),
    subject: message.subject,
    body: message.body,
  });
  return appendAsGeneration<TipState, TipEvent>(logOf(deps), snapshot, generation, (current) =>
    reminderToSend(current)
      ? {
          type: 'reward_claim_reminder_sent',
          data: {},
          idempotencyKey: `${current.tipId}#reward#claim-reminder#sent`,
        }
      : null,
  );
}

/** Records the notice's due steps, reminder before the overdue mark, each once (its key). */
const recordNoticeSteps = (
  deps: TipLifecycleDependencies,
  loaded: Snapshot<TipState>,
  generation: number,
) =>
  recordDeadlineSteps(deps, loaded, generation, (state) => {
    const [due] = noticePlan(deps, state).due;
    const noticeDueBy = noticeDueByOf(state, deps.calendar);
    if (!due || !noticeDueBy) return null;
    return due.step === 'overdue'
      ? { type: 'reward_notice_overdue', data: { noticeDueBy }, idempotencyKey: due.key }
      : {
          type: 'reward_notice_reminder_recorded',
          data: { dueAt: due.dueAt.toISOString(), noticeDueBy, late: due.late },
          idempotencyKey: due.key,
        };
  });

/**
 * Sends a recorded notice reminder to the jurisdiction's reward officers, then records it
 * sent: at least once, and once by its key (the outbox). Only while the notice is still due:
 * a reward approved meanwhile is not reminded.
 */
async function sendNoticeReminder(
  deps: TipLifecycleDependencies,
  snapshot: Snapshot<TipState>,
  generation: number,
): Promise<Snapshot<TipState> | null> {
  const { state } = snapshot;
  const noticeDueBy = noticeDueByOf(state, deps.calendar);
  if (!noticeReminderToSend(state) || !noticeDueBy) return snapshot;
  const message = noticeReminderMessage(state, noticeDueBy);
  await deps.notifier.send({
    key: noticeReminderNotificationKey(state.tipId),
    channel: 'sms',
    to: rewardOfficersAddress(state.jurisdiction),
    subject: message.subject,
    body: message.body,
  });
  return appendAsGeneration<TipState, TipEvent>(logOf(deps), snapshot, generation, (current) =>
    noticeReminderToSend(current)
      ? {
          type: 'reward_notice_reminder_sent',
          data: {},
          idempotencyKey: `${current.tipId}#reward#notice-reminder#sent`,
        }
      : null,
  );
}

/** The deadline of a limit as the tip's record holds it. */
function deadlineOf(state: TipState, limit: TipLimit): string {
  const deadline = {
    accept: state.acceptDeadline,
    verify: state.verifyDeadline,
    feedback: state.feedbackDeadline,
  }[limit];
  return deadline ? cstDate(new Date(Date.parse(deadline) - 1)) : '';
}

async function deliver(
  deps: TipLifecycleDependencies,
  state: TipState,
  entry: TipTimeLimitStepEntry,
): Promise<void> {
  const rule = deps.limits[entry.limit];
  const rung = rule.ladder.find((candidate) => candidate.step === entry.step);
  if (!rung) return;
  const tip = state.tipId.slice(0, 8);
  const by = deadlineOf(state, entry.limit);
  for (const recipient of rung.recipients) {
    await deps.notifier.send({
      key: `${entry.key}#${recipient}`,
      channel: 'sms',
      to: `${recipient}@${state.jurisdiction}`,
      subject: {
        zh: `举报线索${rule.name.zh}${rung.name.zh}：${tip}${entry.late ? '（补发）' : ''}`,
        en: `Tip ${rule.name.en.toLowerCase()} ${rung.name.en.toLowerCase()}: ${tip}${entry.late ? ' (late)' : ''}`,
      },
      body: {
        zh: `${state.jurisdiction} 举报线索 ${tip} 的${rule.name.zh}为 ${by}，请登录工作台处理。`,
        en: `The ${rule.name.en.toLowerCase()} limit of tip ${tip} in ${state.jurisdiction} ends on ${by}: open the console.`,
      },
    });
  }
}
