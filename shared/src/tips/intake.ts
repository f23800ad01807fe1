import type { HolidayCalendar } from '../calendar/calendar.ts';
import { canonicalJson } from '../event-log/canonical-json.ts';
import type { Actor } from '../event-log/event-log.ts';
import type { EventStore, Snapshot } from '../event-log/event-store.ts';
import type { HazardWorkflow } from '../ports/hazard-workflow.ts';
import type { ContactVault, ReceiptKeys } from '../ports/secrets.ts';
import { firstTipTurn } from './first-turn.ts';
import { receiptFor, tipContentDigest, tipIdFor } from './keys.ts';
import type { CreateTip } from './schemas.ts';
import { defaultTipTimeLimits, tipDeadline } from './time-limits.ts';
import { tipProjection } from './tip-projection.ts';
import { type TipReceived, type TipState, tipStream, waitingPhotoSlots } from './tip-state.ts';

/** The lifecycle generation a tip's receipt claims (TipReceived.lifecycleGeneration). */
export const firstTipGeneration = 1;

export interface TipIntakeDependencies {
  events: EventStore;
  receiptKeys: ReceiptKeys;
  contactVault: Pick<ContactVault, 'seal'>;
  /** The calendar in force (an administrator's years over the seed), read when needed. */
  calendar: () => Promise<HolidayCalendar>;
  /**
   * The acceptance limit's working days in a jurisdiction (policy data, read through the
   * policy cache); absent or undefined: the default.
   */
  acceptDays?: (jurisdiction: string) => Promise<number | undefined>;
  /** The office hours the lifecycle's steps keep (the escalation policy's). */
  officeHours: { startHour: number; endHour: number };
  workflow: HazardWorkflow;
}

export type TipIntake =
  /** Recorded now, its lifecycle begun: a form is owed for every photo slot. */
  | { kind: 'received'; tipId: string; receipt: string; state: TipState; photoIds: string[] }
  /** A retry of a tip already recorded: forms are owed for the slots still waiting. */
  | { kind: 'duplicate'; tipId: string; receipt: string; state: TipState; photoIds: string[] }
  /** The same idempotency key with other content: nothing was written. */
  | { kind: 'other_content' };

/**
 * Receives a tip from any channel: the web form (anonymous) or an officer entering a
 * hotline call, a letter or a visit. Two sequential writes (the first event, then the
 * state) and no read; a retry with the same idempotency key gets the same receipt and
 * stores nothing. Then the tip's lifecycle starts: its acceptance limit runs from now.
 * The receipt claims the lifecycle's first generation, and intake plans the first turn from
 * the state it wrote, so the start reads nothing and goes straight to its wait, whose
 * registration is the only write: three writes in all, no read (issue 13; the bench counts
 * them).
 * The submission is checked against the reference data by the caller, before.
 */
export async function receiveTip(
  deps: TipIntakeDependencies,
  request: { submission: CreateTip; channel: TipReceived['channel']; actor: Actor; now: Date },
): Promise<TipIntake> {
  const { submission, channel, actor, now } = request;
  const { idempotencyKey, contactPhone, photoCount, ...tip } = submission;
  const key = await deps.receiptKeys.receiptKey();
  const receipt = await receiptFor(key, idempotencyKey);
  const tipId = await tipIdFor(key, receipt);
  // The reward phone is not in the digest, only whether there is one: a digest of it, keyed
  // or not, would let whoever holds the key and reads the table try every mobile number.
  const digest = await tipContentDigest(
    key,
    canonicalJson({ ...tip, hasContactPhone: Boolean(contactPhone), photoCount, channel }),
  );
  const photoIds = Array.from({ length: photoCount }, (_, index) => `p${index + 1}`);
  const calendar = await deps.calendar();
  const received: TipReceived = {
    ...tip,
    tipId,
    channel,
    ...(contactPhone ? { contactSealed: await deps.contactVault.seal(contactPhone) } : {}),
    photoIds,
    contentDigest: digest,
    // The jurisdiction's limit when received, in working days by the calendar in force.
    acceptDeadline: tipDeadline(
      {
        ...defaultTipTimeLimits.accept,
        days: (await deps.acceptDays?.(tip.jurisdiction)) ?? defaultTipTimeLimits.accept.days,
      },
      now,
      calendar,
    ).toISOString(),
    lifecycleGeneration: firstTipGeneration,
  };

  const result = await deps.events.append(
    tipStream(tipId),
    null,
    {
      type: 'tip_received',
      at: now.toISOString(),
      actor,
      data: received,
      idempotencyKey: 'tip_received',
    },
    tipProjection,
  );
  if (result.kind === 'appended') {
    const { workflow } = deps;
    const firstTurn = firstTipTurn({
      snapshot: result.snapshot,
      now,
      limits: defaultTipTimeLimits,
      calendar,
      officeHours: deps.officeHours,
    });
    await (workflow.begin
      ? workflow.begin(tipId, firstTipGeneration, firstTurn)
      : workflow.wake(tipId));
    return { kind: 'received', tipId, receipt, state: result.snapshot.state, photoIds };
  }
  const current: Snapshot<TipState> | null =
    result.kind === 'duplicate' ? result.snapshot : result.current;
  if (!current || current.state.contentDigest !== digest) return { kind: 'other_content' };
  // A retry may follow a crash before the lifecycle started: waking again is harmless.
  await deps.workflow.wake(tipId);
  return {
    kind: 'duplicate',
    tipId,
    receipt,
    state: current.state,
    photoIds: waitingPhotoSlots(current.state),
  };
}
