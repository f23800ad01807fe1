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

const shareActor = { kind: 'system' as const, id: 'reward-share' };

/** Each joint share is written once on its tip: the key names both tips. */
export const shareGrantKey = (jointTipId: string, fromTipId: string) =>
  `${jointTipId}#reward-share#${fromTipId}`;

/**
 * Writes each joint tip's share of an approved reward on the joint tip's record, once
 * each (by key), and wakes its lifecycle, which keeps the claim deadline. Run after the
 * approval, and again on a retried approval: a share already written is not written twice.
 */
export async function grantJointShares(
  deps: { events: EventStore; clock: Clock; workflow?: { wake(tipId: string): Promise<void> } },
  approved: TipState,
): Promise<void> {
  const reward = approved.reward;
  if (!reward?.approvedAt || !reward.approvedBy || !reward.shares) return;
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
      actor: shareActor,
      now: () => deps.clock.now(),
      decide: (state) => {
        checkTipTransition(state, event);
        return event;
      },
      wake: async () => deps.workflow?.wake(share.tipId),
    });
  }
}
