import type { EventStore } from '../event-log/event-store.ts';
import type { Bilingual } from '../i18n/text.ts';
import type { Clock } from '../ports/clock.ts';
import { decideOnRecord } from '../workflow/decisions.ts';
import { tipProjection } from './tip-projection.ts';
import { checkTipTransition } from './tip-rules.ts';
import { type TipEvent, type TipState, tipStream } from './tip-state.ts';

/**
 * Joint tipsters (RULES.md, "Tips and rewards": only the first tipster on the same matter
 * is rewarded; joint tipsters share one reward). An officer merges the other tips on the
 * matter into the substantiated one, then names those sent jointly with it
 * (record_joint_tipsters). The approval splits the reward in equal shares of fen
 * (splitReward); each joint tip is then granted its share on its own record, so its
 * tipster claims it with their own receipt, by the same rules and deadline as the first.
 */

/** Why a tip cannot be named joint with `tipId`; null when it can. */
export function jointTipRefusal(tipId: string, candidate: TipState): Bilingual | null {
  return candidate.mergedInto === tipId
    ? null
    : {
        zh: '联名举报须先并入本举报（同一事项）。',
        en: 'A joint tip must first be merged into this one (the same matter).',
      };
}

/** Joint tips in the order they were received (ties by id): the order shares are given. */
export const inReceiptOrder = (tips: readonly TipState[]): string[] =>
  [...tips]
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.tipId.localeCompare(b.tipId))
    .map((tip) => tip.tipId);

/** Each joint share is written once on its tip: the key names both tips. */
export const shareGrantKey = (jointTipId: string, fromTipId: string) =>
  `${jointTipId}#reward-share#${fromTipId}`;

/** The key of the approved tip's note that every share is written: once per tip. */
export const sharesGrantedKey = (tipId: string) => `${tipId}#reward#shares-granted`;

/**
 * An approved reward split among joint tips whose shares are not yet known to be written:
 * the tip's lifecycle writes any missing, then notes them granted (reward_shares_granted).
 */
export function jointSharesPending(state: TipState): boolean {
  const reward = state.reward;
  return Boolean(
    reward?.approvedAt &&
      reward.approvedBy &&
      !reward.sharesGrantedAt &&
      reward.shares?.some((share) => share.tipId !== state.tipId),
  );
}

/**
 * Writes each joint tip's share of an approved reward on the joint tip's record, once
 * each (by key), and wakes its lifecycle, which keeps the claim deadline. Run by the
 * approval (at once) and by the approved tip's lifecycle (at least once, until it notes
 * them all granted): whichever runs first or again, a share is never written twice.
 *
 * Written on behalf of the approver, a person: the share is their decision carried to
 * the joint tip, and a person's change is in the index the reconciler reads, so a lost
 * wake-up of the joint tip's lifecycle (which keeps its claim deadline) is found.
 */
export async function grantJointShares(
  deps: { events: EventStore; clock: Clock; workflow?: { wake(tipId: string): Promise<void> } },
  approved: TipState,
): Promise<void> {
  const reward = approved.reward;
  if (!reward?.approvedAt || !reward.approvedBy || !reward.shares) return;
  const approver = {
    kind: 'person' as const,
    id: reward.approvedBy,
    ...(reward.approvedByName ? { name: reward.approvedByName } : {}),
  };
  for (const share of reward.shares) {
    if (share.tipId === approved.tipId) continue;
    const event: TipEvent = {
      type: 'reward_share_granted',
      data: {
        fromTipId: approved.tipId,
        amountFen: share.amountFen,
        totalFen: reward.amountFen,
        shareCount: reward.shares.length,
        computation: reward.computation,
        computedBy: reward.computedBy,
        approvedBy: reward.approvedBy,
        approvedAt: reward.approvedAt,
        ...(reward.noticeDueBy ? { noticeDueBy: reward.noticeDueBy } : {}),
        ...(reward.claimBy ? { claimBy: reward.claimBy } : {}),
      },
    };
    await decideOnRecord<TipState>({
      events: deps.events,
      stream: tipStream(share.tipId),
      projection: tipProjection,
      idempotencyKey: shareGrantKey(share.tipId, approved.tipId),
      actor: approver,
      now: () => deps.clock.now(),
      decide: (state) => {
        checkTipTransition(state, event);
        return event;
      },
      wake: async () => deps.workflow?.wake(share.tipId),
    });
  }
}
