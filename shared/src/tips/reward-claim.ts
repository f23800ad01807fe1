import { cstDate, deadlineAfter, type HolidayCalendar } from '../calendar/calendar.ts';
import type { Recorded } from '../event-log/event-log.ts';
import type { Bilingual } from '../i18n/text.ts';
import { nationalRewardPolicy, type RewardPolicy } from '../rewards/reward-policy.ts';
import { hmac } from './keys.ts';
import { digitsFromBytes } from './receipt.ts';
import type { RewardClaimEvent } from './reward-claim-state.ts';
import { ownShareFen, type TipState } from './tip-state.ts';

/**
 * The tipster's claim of an approved reward (RULES.md, "Tips and rewards"): the receipt
 * alone proves the tip is theirs. The approval is the notice; the claim must come within
 * the policy's claim days of it, or the reward lapses; the reward officer then records the
 * payment. Pure: no I/O (keys and sealing come in from the caller).
 *
 * How the tipster is paid:
 * - in person, with a claim code: shown to the tipster, never stored. The tip keeps only a
 *   keyed hash of it, so that nobody who reads the tip (an officer, whoever reads the
 *   table) can collect the money; the reward officer types the code the claimant shows
 *   and the payment is refused unless it matches. The code is drawn from the claim's own
 *   idempotency key with the deployment's secret, so a retried claim shows the same code.
 * - by bank transfer: the account is sealed like the reward phone (ContactVault) and only
 *   opened by a reward officer, each opening an event on the tip.
 */
export type {
  BankDetails,
  ClaimMethod,
  RewardClaimEvent,
  RewardClaimState,
} from './reward-claim-state.ts';

/** Where a reward stands for its claim. */
export type ClaimStanding = 'awaiting_approval' | 'open' | 'claimed' | 'paid' | 'lapsed';

type Reward = NonNullable<TipState['reward']>;

/**
 * The notice and claim deadlines of a reward approved at `approvedAt`, by the tip's policy
 * (the one in force when it was substantiated). Calendar days unless the policy says
 * working days.
 */
export function rewardDeadlines(
  policy: RewardPolicy,
  from: { verifiedAt?: string; approvedAt: Date },
  calendar: HolidayCalendar,
): { noticeDueBy: string; claimBy: string } {
  const unit = policy.deadlineUnit ?? 'calendar';
  const verified = from.verifiedAt ? new Date(from.verifiedAt) : from.approvedAt;
  return {
    noticeDueBy: deadlineAfter(calendar, verified, { days: policy.noticeDays, unit }).toISOString(),
    claimBy: deadlineAfter(calendar, from.approvedAt, {
      days: policy.claimDays,
      unit,
    }).toISOString(),
  };
}

/** The deadlines for an approval now, on this tip. */
export const approvalDeadlines = (state: TipState, now: Date, calendar: HolidayCalendar) =>
  rewardDeadlines(
    state.rewardPolicy ?? nationalRewardPolicy,
    { ...(state.verifiedAt ? { verifiedAt: state.verifiedAt } : {}), approvedAt: now },
    calendar,
  );

export function claimStanding(reward: Reward, now: Date): ClaimStanding {
  if (!reward.approvedAt) return 'awaiting_approval';
  if (reward.payment) return 'paid';
  if (reward.claim) return 'claimed';
  if (reward.lapsedAt || (reward.claimBy && now.getTime() >= Date.parse(reward.claimBy))) {
    return 'lapsed';
  }
  return 'open';
}

/** The CST date whose 24:00 a deadline is. */
export const lastDayOf = (deadline: string) => cstDate(new Date(Date.parse(deadline) - 1));

const said = (zh: string, en: string): Bilingual => ({ zh, en });

export type ClaimRefusal = { kind: 'lapsed' | 'other'; text: Bilingual };

/** Why the tipster cannot claim now; null when they can. */
export function claimRefusal(state: TipState, now: Date): ClaimRefusal | null {
  const reward = state.reward;
  if (!reward?.approvedAt || ownShareFen(state) <= 0) {
    return {
      kind: 'other',
      text: said('奖励尚未批准，暂不能领取。', 'There is no approved reward to claim yet.'),
    };
  }
  const standing = claimStanding(reward, now);
  if (standing === 'paid' || standing === 'claimed') {
    return {
      kind: 'other',
      text: said(
        '奖励已经申领，不能重复申领。',
        'The reward has already been claimed: it cannot be claimed twice.',
      ),
    };
  }
  if (standing === 'lapsed') {
    const day = reward.claimBy ? lastDayOf(reward.claimBy) : '';
    return {
      kind: 'lapsed',
      text: said(
        `领取期限已于 ${day} 届满，奖励已失效。如有正当理由，请联系举报受理部门。`,
        `The time to claim ended on ${day}: the reward has lapsed. If you had a good reason, contact the office.`,
      ),
    };
  }
  return null;
}

const blank = (value: string | undefined) => !value?.trim();

/** The rules of the claim's events that do not depend on the clock (tip-rules.ts). */
export function claimEventRefusal(state: TipState, event: RewardClaimEvent): Bilingual | null {
  const reward = state.reward;
  if (!reward?.approvedAt) {
    return said('奖励尚未批准。', 'The reward has not been approved.');
  }
  switch (event.type) {
    case 'reward_claimed':
      return reward.claim || reward.lapsedAt
        ? said('奖励已经申领，不能重复申领。', 'The reward has already been claimed.')
        : null;
    case 'reward_lapsed':
    case 'reward_claim_reminder_recorded':
      return reward.claim || reward.lapsedAt
        ? said('奖励已申领或已失效。', 'The reward is claimed or has lapsed already.')
        : null;
    case 'reward_claim_reminder_sent':
      return reward.claimReminder?.messaged
        ? null
        : said('没有待发送的提醒。', 'There is no reminder to send.');
    case 'payment_details_opened':
      return reward.claim?.bankSealed
        ? null
        : said('没有银行转账信息。', 'There are no bank details on this claim.');
    case 'payment_recorded': {
      if (!reward.claim) {
        return said(
          '举报人尚未申领，不能登记兑付。',
          'The tipster has not claimed the reward: no payment can be recorded.',
        );
      }
      if (reward.payment) return said('已登记兑付。', 'The payment is already recorded.');
      if (blank(event.data.voucherNumber)) {
        return said('请填写凭证编号。', 'Give the voucher number.');
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(event.data.paidOn)) {
        return said('兑付日期格式应为 YYYY-MM-DD。', 'The payment date must be YYYY-MM-DD.');
      }
      if (event.data.paidOn < cstDate(new Date(reward.claim.claimedAt))) {
        return said('兑付日期不能早于申领日期。', 'The payment cannot be dated before the claim.');
      }
      if (reward.claim.method === 'in_person' && !event.data.claimCodeHash) {
        return said('请输入领奖人出示的领奖码。', 'Enter the claim code the claimant shows.');
      }
      if (
        reward.claim.method === 'in_person' &&
        event.data.claimCodeHash !== reward.claim.claimCodeHash
      ) {
        return said(
          '领奖码不符，不能兑付。',
          'The claim code does not match: the reward cannot be paid.',
        );
      }
      return null;
    }
  }
}

/** The reward's state after a claim event (tip-projection.ts). */
export function applyClaimEvent(state: TipState, event: Recorded<RewardClaimEvent>): TipState {
  const reward = state.reward;
  if (!reward) return state;
  const person = event.actor.name ? { name: event.actor.name } : {};
  switch (event.type) {
    case 'reward_claimed':
      return {
        ...state,
        reward: { ...reward, claim: { ...event.data, claimedAt: event.at } },
      };
    case 'reward_lapsed':
      return { ...state, reward: { ...reward, lapsedAt: event.at } };
    case 'reward_claim_reminder_recorded':
      return {
        ...state,
        reward: { ...reward, claimReminder: { ...event.data, at: event.at } },
      };
    case 'reward_claim_reminder_sent':
      return reward.claimReminder
        ? {
            ...state,
            reward: { ...reward, claimReminder: { ...reward.claimReminder, sentAt: event.at } },
          }
        : state;
    case 'payment_details_opened':
      return {
        ...state,
        reward: {
          ...reward,
          detailsOpened: [
            ...(reward.detailsOpened ?? []),
            { by: event.actor.id, ...person, at: event.at },
          ],
        },
      };
    case 'payment_recorded':
      return {
        ...state,
        reward: {
          ...reward,
          payment: {
            paidOn: event.data.paidOn,
            voucherNumber: event.data.voucherNumber,
            recordedBy: event.actor.id,
            ...(event.actor.name ? { recordedByName: event.actor.name } : {}),
            recordedAt: event.at,
          },
        },
      };
  }
}

/** A claim code: 10 digits from the deployment's secret and the claim's idempotency key. */
export async function claimCodeFor(
  key: Uint8Array,
  tipId: string,
  idempotencyKey: string,
): Promise<string> {
  const digits = digitsFromBytes(await hmac(key, `claim-code:${tipId}:${idempotencyKey}`));
  return `${digits.slice(0, 5)}-${digits.slice(5, 10)}`;
}

/** The code as typed (spaces, dashes, full-width digits), or null when it is not one. */
export function normalizeClaimCode(typed: string): string | null {
  const digits = typed.normalize('NFKC').replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

/** The keyed hash kept on the tip in place of the code. */
export async function claimCodeHash(key: Uint8Array, tipId: string, code: string): Promise<string> {
  const bytes = await hmac(key, `claim-check:${tipId}:${normalizeClaimCode(code) ?? code}`);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What the holder of the receipt sees of their reward: no officer, nothing internal. */
export function rewardForTipster(state: TipState, now: Date) {
  const reward = state.reward;
  const amountFen = ownShareFen(state);
  if (!reward?.approvedAt || amountFen <= 0) return undefined;
  const totalFen = reward.jointShareOf?.totalFen ?? reward.amountFen;
  const shareCount = reward.jointShareOf?.shareCount ?? reward.shares?.length;
  return {
    amountFen,
    rule: reward.computation.rule,
    figures: reward.computation.figures,
    adjusted: totalFen !== reward.computation.amountFen,
    // Joint tipsters: how many share the reward and its whole, never who the others are.
    ...(shareCount && shareCount > 1 ? { jointShare: { shareCount, totalFen } } : {}),
    approvedAt: reward.approvedAt,
    ...(reward.claimBy ? { claimBy: reward.claimBy } : {}),
    standing: claimStanding(reward, now),
    ...(reward.claim ? { method: reward.claim.method, claimedAt: reward.claim.claimedAt } : {}),
    ...(reward.payment ? { paidOn: reward.payment.paidOn } : {}),
  };
}

/**
 * The reward as the office reads it: the claim's method and whether bank details are
 * sealed on it, never the sealed text nor the code's hash.
 */
export function rewardForOffice(reward: Reward, now?: Date) {
  const { claim, ...rest } = reward;
  return {
    ...rest,
    ...(now ? { standing: claimStanding(reward, now) } : {}),
    ...(claim
      ? {
          claim: {
            method: claim.method,
            claimedAt: claim.claimedAt,
            hasBankDetails: Boolean(claim.bankSealed),
          },
        }
      : {}),
  };
}
