import type { Bilingual } from '../i18n/text.ts';
import {
  type CaseOutcome,
  computeReward,
  nationalRewardPolicy,
  type RewardComputation,
  type RewardPolicy,
} from '../rewards/reward-policy.ts';
import { tipLimits } from './limits.ts';
import { claimEventRefusal } from './reward-claim.ts';
import { defaultTipTimeLimits, runningLimit, type TipTimeLimits } from './time-limits.ts';
import {
  refusalReasons,
  type TipEvent,
  type TipEventType,
  type TipState,
  type TipStatus,
} from './tip-state.ts';

/**
 * The rules of a tip's life: which event may follow in which status, and what each needs.
 * The office's commands (triage.ts) are checked here before their event is appended.
 */
export class TipRuleViolation extends Error {
  readonly text: Bilingual;
  constructor(text: Bilingual) {
    super(text.en);
    this.text = text;
  }
}

const violation = (zh: string, en: string) => new TipRuleViolation({ zh, en });

const allowedIn: Record<TipEventType, readonly TipStatus[] | 'any'> = {
  tip_received: [],
  photo_slots_opened: 'any',
  photo_added: 'any',
  photo_refused: 'any',
  question_asked: 'any',
  tipster_replied: 'any',
  tip_accepted: ['received'],
  tip_refused: ['received'],
  tip_referred: ['received'],
  tip_merged: ['received'],
  investigation_started: ['accepted'],
  investigation_recorded: ['investigating'],
  verification_extension_approved: ['accepted', 'investigating'],
  feedback_given: ['substantiated', 'unsubstantiated'],
  lifecycle_generation_started: 'any',
  time_limit_step_recorded: [
    'received',
    'accepted',
    'investigating',
    'substantiated',
    'unsubstantiated',
  ],
  time_limit_step_delivered: 'any',
  time_limit_delivery_started: 'any',
  time_limit_step_withdrawn: 'any',
  hazard_progressed: 'any',
  outcome_recorded: ['substantiated', 'closed'],
  reward_computed: ['substantiated', 'closed'],
  reward_approved: ['substantiated', 'closed'],
  joint_tipsters_recorded: ['substantiated', 'closed'],
  // A joint tip was merged into the one whose reward it shares: merged is where it rests.
  reward_share_granted: ['merged'],
  reward_shares_granted: ['substantiated', 'closed'],
  reward_claimed: ['substantiated', 'closed', 'merged'],
  reward_lapsed: ['substantiated', 'closed', 'merged'],
  reward_claim_reminder_recorded: ['substantiated', 'closed', 'merged'],
  reward_claim_reminder_sent: ['substantiated', 'closed', 'merged'],
  // The notice deadline's steps: written by the lifecycle alone, each once by its key while
  // a notice is due (reward-notice.ts plans them).
  reward_notice_reminder_recorded: ['substantiated', 'closed'],
  reward_notice_reminder_sent: ['substantiated', 'closed'],
  reward_notice_overdue: ['substantiated', 'closed'],
  tipster_contact_opened: 'any',
  payment_details_opened: ['substantiated', 'closed', 'merged'],
  payment_recorded: ['substantiated', 'closed', 'merged'],
  // Whenever its reward matter has ended (retention.ts decides; the sweep writes it).
  contact_erased: 'any',
};

const blank = (text: string | undefined) => !text?.trim();

/**
 * The most any reward under the policy can be (fen): the highest of its maximums. An
 * officer's adjustment goes no higher (an attack test approved ¥9,999,999.99 on a fine whose
 * reward the policy caps at ¥300,000).
 */
function policyCeilingFen(policy: RewardPolicy): number {
  const { majorHazard, generalHazard, concealedAccident } = policy;
  return (
    Math.max(majorHazard.maxYuan, generalHazard?.maxYuan ?? 0, concealedAccident.maxYuan) * 100
  );
}

const rewardEvents: readonly TipEventType[] = [
  'outcome_recorded',
  'reward_computed',
  'reward_approved',
  'joint_tipsters_recorded',
];

const notSubstantiated = () =>
  violation(
    '举报核查属实后才能记录查处结果和奖励。',
    'The case result and the reward need a substantiated tip.',
  );

/** The rules of the case result and the reward (RULES.md, "Tips and rewards"). */
function rewardRefusal(state: TipState, event: TipEvent): TipRuleViolation | null {
  if (state.finding !== 'substantiated') return notSubstantiated();
  if (state.reward?.approvedBy) {
    return violation('奖励已批准，不能再更改。', 'The reward is approved: it cannot change.');
  }
  switch (event.type) {
    case 'outcome_recorded': {
      const { outcome } = event.data;
      if (blank(event.data.documentNumber)) {
        return violation('请填写文书编号。', 'Give the document number.');
      }
      if (
        outcome.kind === 'fine_imposed' &&
        (!Number.isSafeInteger(outcome.fineYuan) || outcome.fineYuan < 0)
      ) {
        return violation('罚款金额须为非负整数（元）。', 'The fine is a whole number of yuan.');
      }
      if (
        outcome.kind === 'accident_concealed' &&
        (!Number.isSafeInteger(outcome.deaths) || outcome.deaths < 1)
      ) {
        return violation(
          '瞒报死亡人数须为正整数。',
          'The concealed deaths are a whole number, 1 or more.',
        );
      }
      return null;
    }
    case 'reward_computed': {
      if (!state.outcome) {
        return violation('请先记录查处结果。', 'Record the case result first.');
      }
      if (state.outcome.kind === 'nothing_found') {
        return violation('查无违法事实，不予奖励。', 'Nothing was found: there is no reward.');
      }
      const { amountFen, computation, adjustmentReason } = event.data;
      if (!Number.isSafeInteger(amountFen) || amountFen < 0) {
        return violation('奖励金额须为非负整数（分）。', 'The reward is a whole number of fen.');
      }
      if (amountFen !== computation.amountFen && blank(adjustmentReason)) {
        return violation('调整奖励金额须说明理由。', 'An adjusted reward needs a reason.');
      }
      // The policy the computation used: the one written on the finding, else the national.
      const ceiling = policyCeilingFen(state.rewardPolicy ?? nationalRewardPolicy);
      if (amountFen > Math.max(ceiling, computation.amountFen)) {
        const yuan = (ceiling / 100).toLocaleString('en-US');
        return violation(
          `调整后的奖励不能高于奖励标准的最高额 ${yuan} 元。`,
          `An adjusted reward cannot be above the policy's highest maximum, ${yuan} yuan.`,
        );
      }
      return null;
    }
    case 'reward_approved':
      if (!state.reward) {
        return violation('奖励尚未核算。', 'The reward has not been computed yet.');
      }
      if (state.reward.computedBy === event.data.approvedBy) {
        return violation(
          '核算奖励的人不能批准同一笔奖励，须由另一名奖励专员批准。',
          'The reward officer who computed the reward cannot approve it: another must.',
        );
      }
      // What the approver saw is the revision the command names (a conflict otherwise).
      return null;
    case 'joint_tipsters_recorded': {
      // Each one merged into this tip is checked by the handler, which reads them.
      const { tipIds } = event.data;
      if (tipIds.length && state.rewardPolicy?.jointTipstersShare === false) {
        return violation(
          '本举报适用的奖励标准不设联名举报人共享奖励：只奖励最先举报人。',
          'The reward policy of this tip has no shares for joint tipsters: only the first tipster is rewarded.',
        );
      }
      return tipIds.includes(state.tipId) ||
        new Set(tipIds).size !== tipIds.length ||
        tipIds.length > tipLimits.jointTipsters
        ? violation(
            `联名举报须是并入本举报的其他举报，各列一次，最多 ${tipLimits.jointTipsters} 个。`,
            `Joint tips are other tips merged into this one, each once, at most ${tipLimits.jointTipsters}.`,
          )
        : null;
    }
    default:
      return null;
  }
}

/**
 * Which event may follow in which status: the domain refuses anything else, with a reason
 * in both languages. `limits` bounds the extension (the jurisdiction's policy).
 */
export function checkTipTransition(
  state: TipState | null,
  event: TipEvent,
  limits: TipTimeLimits = defaultTipTimeLimits,
): void {
  if (event.type === 'tip_received') {
    if (state) throw violation('举报已登记。', 'The tip is already recorded.');
    return;
  }
  if (!state) throw violation('举报不存在。', 'There is no such tip.');
  const allowed = allowedIn[event.type];
  if (allowed !== 'any' && !allowed.includes(state.status)) {
    if (event.type === 'feedback_given') {
      throw violation('核查结果记录后才能反馈。', 'Feedback needs the verification result first.');
    }
    if (rewardEvents.includes(event.type)) throw notSubstantiated();
    throw violation(
      `举报当前状态（${state.status}）不能进行此操作。`,
      `Not allowed while the tip is ${state.status}.`,
    );
  }
  const refusal = stateRefusal(state, event, limits);
  if (refusal) throw refusal;
}

/** The rules that depend on more than the status. */
function stateRefusal(
  state: TipState,
  event: TipEvent,
  limits: TipTimeLimits,
): TipRuleViolation | null {
  switch (event.type) {
    case 'tip_refused':
      return Object.hasOwn(refusalReasons, event.data.reason)
        ? null
        : violation('不予受理须选择法定理由。', 'A refusal must give one of the listed reasons.');
    case 'tip_referred':
      return blank(event.data.department)
        ? violation('请写明转交的部门。', 'Name the department the tip is referred to.')
        : null;
    case 'tip_merged':
      if (blank(event.data.intoTipId)) {
        return violation('请指明合并到的举报。', 'Name the tip to merge into.');
      }
      return event.data.intoTipId === state.tipId
        ? violation('举报不能合并到自身。', 'A tip cannot be merged into itself.')
        : null;
    case 'investigation_recorded':
      if (event.data.finding !== 'substantiated' && event.data.finding !== 'unsubstantiated') {
        return violation('核查结果须为属实或不属实。', 'The finding is substantiated or not.');
      }
      return blank(event.data.note)
        ? violation('请写明核查情况。', 'Say what the verification found.')
        : null;
    case 'verification_extension_approved': {
      if (state.extensionUsed) {
        return violation('核查期限只能延长一次。', 'Verification can be extended once only.');
      }
      const { maxDays } = limits.verify.extension;
      if (!Number.isInteger(event.data.days) || event.data.days < 1 || event.data.days > maxDays) {
        return violation(
          `延长天数须为 1 至 ${maxDays} 天。`,
          `An extension is 1 to ${maxDays} days.`,
        );
      }
      if (blank(event.data.reason)) {
        return violation(
          '延期须说明理由（将告知举报人）。',
          'An extension needs a reason (the tipster is told it).',
        );
      }
      return blank(event.data.approvedBy)
        ? violation('延期须经上级批准。', 'An extension must be approved by the level above.')
        : null;
    }
    case 'feedback_given':
      return blank(event.data.text)
        ? violation('请写明反馈内容。', 'Write what the tipster is told.')
        : null;
    case 'outcome_recorded':
    case 'reward_computed':
    case 'reward_approved':
    case 'joint_tipsters_recorded':
      return rewardRefusal(state, event);
    case 'reward_share_granted':
      // Written by the system on a joint tip, once: never on another tip.
      return state.mergedInto !== event.data.fromTipId || state.reward
        ? violation('不能分配此奖励份额。', 'This share cannot be granted here.')
        : null;
    case 'reward_shares_granted':
      // Written by the lifecycle once, after an approval that split the reward.
      return state.reward?.approvedAt && state.reward.shares && !state.reward.sharesGrantedAt
        ? null
        : violation('没有待分配的奖励份额。', 'There are no shares to grant.');
    case 'reward_claimed':
    case 'reward_lapsed':
    case 'reward_claim_reminder_recorded':
    case 'reward_claim_reminder_sent':
    case 'payment_details_opened':
    case 'payment_recorded': {
      const refusal = claimEventRefusal(state, event);
      return refusal ? new TipRuleViolation(refusal) : null;
    }
    case 'lifecycle_generation_started':
      return event.data.generation > state.generation
        ? null
        : violation('工作流代次已过期。', 'That workflow generation is out of date.');
    case 'time_limit_step_recorded':
      return runningLimit(state)?.limit === event.data.limit
        ? null
        : violation('该期限不在计时中。', 'That time limit is not running.');
    default:
      return null;
  }
}

/** The reward an outcome earns under the policy in force when the tip was substantiated. */
export function rewardFor(state: TipState): RewardComputation | undefined {
  if (!state.outcome) return undefined;
  const { documentNumber: _n, recordedAt: _a, recordedBy: _b, ...outcome } = state.outcome;
  return computeReward(state.rewardPolicy ?? nationalRewardPolicy, outcome as CaseOutcome);
}
