import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import type {
  RewardPolicyView,
  UpdateRewardPolicy,
} from '@qingling/shared/rewards/reward-policy-schemas.ts';

/**
 * The administrator's reward policy page (/office/admin/rewards): a jurisdiction's reward
 * policy (the national rule until edited) as a form, saved whole through the versioned
 * updateRewardPolicy. Pure: the requests are in admin-policy-api.ts.
 */
export type { RewardPolicyView };

/** What the form edits: the policy's settings, with the general-hazard amounts always there. */
export interface RewardForm {
  name: Bilingual;
  source: Bilingual;
  majorHazard: { percent: number; minYuan: number; maxYuan: number };
  /** Off: general hazards are rewarded as major ones (the 2018 rule). */
  hasGeneralHazard: boolean;
  generalHazard: { percent: number; minYuan: number; maxYuan: number };
  perDeathYuan: { general: number; larger: number; major: number; especially_major: number };
  concealedMaxYuan: number;
  firstTipsterOnly: boolean;
  jointTipstersShare: boolean;
  noticeDays: number;
  claimDays: number;
  deadlineUnit: 'calendar' | 'working';
}

/** The form as the policy reads (after a load, a save or a 409). */
export function formOf(view: RewardPolicyView): RewardForm {
  return {
    name: { ...view.name },
    source: { ...view.source },
    majorHazard: { ...view.majorHazard },
    hasGeneralHazard: Boolean(view.generalHazard),
    // Off until ticked: the major hazard's figures are a place to start from.
    generalHazard: { ...(view.generalHazard ?? view.majorHazard) },
    perDeathYuan: { ...view.concealedAccident.perDeathYuan },
    concealedMaxYuan: view.concealedAccident.maxYuan,
    firstTipsterOnly: view.firstTipsterOnly,
    jointTipstersShare: view.jointTipstersShare,
    noticeDays: view.noticeDays,
    claimDays: view.claimDays,
    deadlineUnit: view.deadlineUnit ?? 'calendar',
  };
}

/** What the PUT sends: the whole policy as typed, naming the version read. */
export function rewardEditOf(view: RewardPolicyView, form: RewardForm): UpdateRewardPolicy {
  return {
    name: { ...form.name },
    source: { ...form.source },
    majorHazard: { ...form.majorHazard },
    ...(form.hasGeneralHazard ? { generalHazard: { ...form.generalHazard } } : {}),
    concealedAccident: { perDeathYuan: { ...form.perDeathYuan }, maxYuan: form.concealedMaxYuan },
    firstTipsterOnly: form.firstTipsterOnly,
    jointTipstersShare: form.jointTipstersShare,
    noticeDays: form.noticeDays,
    claimDays: form.claimDays,
    // Calendar days are the default: not stored as a choice unless working days are chosen.
    ...(form.deadlineUnit === 'working' ? { deadlineUnit: 'working' as const } : {}),
    expectedVersion: view.version,
  };
}

/** The page's words, zh and en side by side (read with `text`). */
export const words = {
  nav: { zh: '奖励标准', en: 'Reward policy' },
  title: { zh: '举报奖励标准', en: 'Reward policy' },
  intro: {
    zh: '本辖区核查属实的举报按此标准计算奖励。修改只对之后核查属实的举报生效：已核查属实的举报仍按当时的标准计算。每次保存都记录版本、修改人和时间。',
    en: 'Substantiated tips in this jurisdiction are rewarded by this policy. A change applies to tips substantiated after it: a tip already substantiated keeps the policy of its finding. Every save records the version, who and when.',
  },
  jurisdiction: { zh: '辖区', en: 'Jurisdiction' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  versionDefault: {
    zh: '版本 0：全国标准（2018），本辖区尚未修改。',
    en: 'Version 0: the national rule (2018), never edited here.',
  },
  version: { zh: '版本', en: 'Version' },
  editedBy: { zh: '修改人', en: 'edited by' },
  editedAt: { zh: '修改时间', en: 'at' },
  policyName: { zh: '标准名称', en: 'Name of the policy' },
  policySource: { zh: '依据（文件名称与年份）', en: 'Source (the rule and its year)' },
  zh: { zh: '中文', en: 'Chinese' },
  en: { zh: '英文', en: 'English' },
  majorHazard: {
    zh: '重大事故隐患、非法违法生产经营（处以罚款的）',
    en: 'Major hazards and illegal production (with a fine imposed)',
  },
  generalHazard: { zh: '一般事故隐患（处以罚款的）', en: 'General hazards (with a fine imposed)' },
  hasGeneralHazard: {
    zh: '一般事故隐患单独设定奖励标准',
    en: 'General hazards have their own amounts',
  },
  hasGeneralHazardHint: {
    zh: '不勾选时，一般事故隐患按上方重大事故隐患的标准计算（全国标准）。',
    en: 'Unticked: general hazards are rewarded as major ones above (the national rule).',
  },
  percent: { zh: '奖励比例（罚款的 %）', en: 'Share of the fine (%)' },
  minYuan: { zh: '最低奖励（元）', en: 'Minimum (yuan)' },
  maxYuan: { zh: '最高奖励（元）', en: 'Maximum (yuan)' },
  concealed: {
    zh: '举报瞒报、谎报事故（按瞒报死亡人数）',
    en: 'Revealing a concealed accident (per concealed death)',
  },
  general: { zh: '一般事故，每人（元）', en: 'General accident, per death (yuan)' },
  larger: { zh: '较大事故，每人（元）', en: 'Larger accident, per death (yuan)' },
  major: { zh: '重大事故，每人（元）', en: 'Major accident, per death (yuan)' },
  especially_major: {
    zh: '特别重大事故，每人（元）',
    en: 'Especially major accident, per death (yuan)',
  },
  concealedMax: { zh: '瞒报事故最高奖励（元）', en: 'Maximum for a concealed accident (yuan)' },
  tipsters: { zh: '举报人', en: 'Tipsters' },
  firstTipsterOnly: {
    zh: '同一事项只奖励最先举报人',
    en: 'Only the first tipster on the same matter is rewarded',
  },
  jointTipstersShare: {
    zh: '联名举报的，共享一份奖励（均分）',
    en: 'Joint tipsters share one reward (in equal shares)',
  },
  deadlines: { zh: '告知与领取期限', en: 'Notice and claim deadlines' },
  noticeDays: { zh: '告知期限（天，自核查结果起）', en: 'Notice (days from the result)' },
  noticeHint: { zh: '1 至 60，全国标准 20。', en: '1 to 60; 20 by the national rule.' },
  claimDays: { zh: '领取期限（天，自核准起）', en: 'Claim (days from the approval)' },
  claimHint: {
    zh: '1 至 365，全国标准 60；逾期未领取且无正当理由的，视为放弃。',
    en: '1 to 365; 60 by the national rule. Unclaimed after it without good reason, the reward lapses.',
  },
  deadlineUnit: { zh: '天数计算方式', en: 'How days count' },
  calendar: { zh: '自然日', en: 'Calendar days' },
  working: { zh: '工作日', en: 'Working days' },
  save: { zh: '保存奖励标准', en: 'Save the reward policy' },
  saved: { zh: '已保存，当前为版本', en: 'Saved: now version' },
  conflict: {
    zh: '保存前已有他人修改了本辖区的奖励标准。已重新载入最新版本，请核对后再保存。',
    en: "Someone changed this jurisdiction's reward policy before you saved. The latest version is loaded: check it and save again.",
  },
  invalid: { zh: '未保存：请按提示修改标出的内容。', en: 'Not saved: fix what is marked.' },
  noPolicy: {
    zh: '没有找到该辖区的奖励标准。',
    en: 'There is no reward policy for this jurisdiction.',
  },
} satisfies Record<string, Bilingual>;
