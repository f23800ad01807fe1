import { cstDate, type HolidayCalendar } from '../calendar/calendar.ts';
import { type EscalationPolicy, nextOfficeMoment } from '../hazards/escalation.ts';
import { ownShareFen, type TipState } from './tip-state.ts';

/**
 * The claim deadline kept by the tip's lifecycle (RULES.md, "Tips and rewards": claim
 * within 60 days of the notice, after which the reward lapses). While an approved reward is
 * unclaimed, the lifecycle waits for two moments: a reminder some days before the
 * deadline, then the deadline itself, when `reward_lapsed` is recorded once (its key is
 * the same as the lazy lapse's, so a look-up and the lifecycle never record it twice).
 * A claim ends the wait: nothing is planned once the reward is claimed, paid or lapsed.
 * Pure: no I/O.
 *
 * The reminder goes to the tipster's sealed phone when they left one: the lifecycle
 * addresses it to the tip (tipsterPhoneAddress), never to a number, and the delivery opens
 * the seal only as it sends (SealedTipsterPhoneDirectory), each opening an event on the
 * tip. A tipster who left no phone is sent nothing; the reminder is recorded all the same.
 */
export interface ClaimReminderPolicy {
  /** Calendar days before the claim deadline; 0: no reminder. */
  daysBefore: number;
  source: string;
}

export const defaultClaimReminderPolicy: ClaimReminderPolicy = {
  daysBefore: 10,
  source: 'A default chosen for this system: no national rule sets a claim reminder',
};

/**
 * The text a reminder to the tipster would carry: it names neither the tip nor the matter,
 * so whoever sees the phone learns nothing of it.
 */
export const claimReminderText = (lastDay: string) => ({
  zh: `您有一笔待领取的奖励，请凭回执在 ${lastDay} 前查看。`,
  en: `You have a reward to collect: look it up with your receipt by ${lastDay}.`,
});

/** The recipient kind of a tip's sealed phone: `sealed_tipster_phone@<tipId>`. */
export const tipsterPhoneRecipient = 'sealed_tipster_phone';
export const tipsterPhoneAddress = (tipId: string) => `${tipsterPhoneRecipient}@${tipId}`;

/**
 * The reminder's message: the subject and text name neither the tip nor the matter, so
 * whoever sees the phone (or the SMS provider) learns nothing of it.
 */
export const claimReminderMessage = (claimBy: string) => ({
  subject: { zh: '奖励领取提醒', en: 'Reward claim reminder' },
  body: claimReminderText(cstDate(new Date(Date.parse(claimBy) - 1))),
});

/**
 * The reminder's notification key: one per tip, so that it is sent once; a digest of the
 * tip id, as the key travels to the SMS provider with the message.
 */
export async function claimReminderNotificationKey(tipId: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`claim-reminder:${tipId}`),
  );
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0'));
  return `claim-reminder#${hex.join('').slice(0, 32)}`;
}

/** A reminder recorded for a phone and not yet handed to the notifier, while it matters. */
export function reminderToSend(state: TipState): boolean {
  const reminder = state.reward?.claimReminder;
  return Boolean(reminder?.messaged && !reminder.sentAt && awaitingClaim(state));
}

export type ClaimStep = 'reminder' | 'lapse';

export interface DueClaimStep {
  step: ClaimStep;
  /** Recorded once on the tip's log. */
  key: string;
  dueAt: Date;
  /** Missed while the system was down: recorded more than `lateAfterMinutes` after its time. */
  late: boolean;
}

export const claimStepKey = (tipId: string, step: ClaimStep) =>
  step === 'lapse' ? `${tipId}#reward#lapsed` : `${tipId}#reward#claim-reminder`;

const dayMs = 24 * 3600 * 1000;

/** Whether an approved reward waits for its claim (approved, not claimed, not lapsed). */
export function awaitingClaim(state: TipState): boolean {
  const reward = state.reward;
  return Boolean(
    reward?.approvedAt &&
      reward.claimBy &&
      ownShareFen(state) > 0 &&
      !reward.claim &&
      !reward.payment &&
      !reward.lapsedAt,
  );
}

/**
 * The claim's steps due now (reminder first, then the lapse) and when to look again. The
 * reminder's nominal time is `daysBefore` calendar days before the deadline, moved into
 * office hours; one whose time is not after the approval is never planned (the approval is
 * the notice). The lapse falls due at the deadline itself, office hours or not.
 */
export function planClaimDeadline(input: {
  state: TipState;
  now: Date;
  calendar: HolidayCalendar;
  officeHours: EscalationPolicy['officeHours'];
  policy?: ClaimReminderPolicy;
  lateAfterMinutes?: number;
}): { waiting: boolean; due: DueClaimStep[]; nextAt: Date | null } {
  const { state, now } = input;
  const reward = state.reward;
  if (!awaitingClaim(state) || !reward?.claimBy || !reward.approvedAt) {
    return { waiting: false, due: [], nextAt: null };
  }
  const policy = input.policy ?? defaultClaimReminderPolicy;
  const claimBy = new Date(reward.claimBy);
  const approvedAt = new Date(reward.approvedAt);
  const steps: { step: ClaimStep; dueAt: Date }[] = [];
  // Past the deadline (the system was down), the reminder has no purpose: only the lapse.
  if (policy.daysBefore > 0 && !reward.claimReminder && now < claimBy) {
    const nominal = new Date(claimBy.getTime() - policy.daysBefore * dayMs);
    const dueAt = nextOfficeMoment(nominal, input.calendar, input.officeHours);
    if (nominal > approvedAt && dueAt < claimBy) steps.push({ step: 'reminder', dueAt });
  }
  steps.push({ step: 'lapse', dueAt: claimBy });
  const lateAfter = (input.lateAfterMinutes ?? 15) * 60 * 1000;
  const due = steps
    .filter((step) => step.dueAt <= now)
    .map((step) => ({
      ...step,
      key: claimStepKey(state.tipId, step.step),
      late: now.getTime() - step.dueAt.getTime() > lateAfter,
    }));
  const future = steps.filter((step) => step.dueAt > now);
  return { waiting: true, due, nextAt: future[0]?.dueAt ?? null };
}
