import * as z from 'zod/mini';
import { maxRecordVersion, said, text, withMeta } from '../api/validation.ts';
import type { AccidentGrade, RewardPolicySettings } from './reward-policy.ts';

/**
 * What administrators send and read about a jurisdiction's reward policy (RULES.md, "Tips
 * and rewards"; issue 16): the share of the fine with its minimum and maximum, the amounts
 * per concealed death, the general-hazard amounts where the policy has them, first tipster
 * only and joint shares, the notice and claim deadlines. Amounts are whole yuan (the
 * calculator works in fen); every refusal says what to fix in both languages.
 */

/** The largest amount a policy may name: ten million yuan, far above any rule's maximum. */
export const maxPolicyYuan = 10_000_000;

const wholeNumber = (min: number, max: number, zh: string, en: string) => {
  const range = said(zh, en);
  return z.number(range).check(z.int(range), z.gte(min, range), z.lte(max, range));
};

const yuan = (zh: string, en: string) =>
  wholeNumber(
    0,
    maxPolicyYuan,
    `${zh}须为 0 至 ${maxPolicyYuan.toLocaleString('en')} 元之间的整数。`,
    `${en} must be whole yuan from 0 to ${maxPolicyYuan.toLocaleString('en')}.`,
  );

/** A share of the fine between a minimum and a maximum; the minimum is not above the maximum. */
const fineShareSchema = (zh: string, en: string) =>
  z
    .strictObject({
      percent: wholeNumber(
        1,
        100,
        `${zh}的奖励比例须为 1 至 100 之间的整数（百分比）。`,
        `The share of the fine for ${en} must be a whole per cent from 1 to 100.`,
      ),
      minYuan: yuan(`${zh}的最低奖励`, `The minimum for ${en}`),
      maxYuan: yuan(`${zh}的最高奖励`, `The maximum for ${en}`),
    })
    .check(
      z.refine((share) => share.minYuan <= share.maxYuan, {
        ...said(
          `${zh}的最低奖励不能高于最高奖励。`,
          `The minimum for ${en} cannot be above its maximum.`,
        ),
        path: ['minYuan'],
      }),
    );

const gradeNames: Record<AccidentGrade, { zh: string; en: string }> = {
  general: { zh: '一般事故', en: 'a general accident' },
  larger: { zh: '较大事故', en: 'a larger accident' },
  major: { zh: '重大事故', en: 'a major accident' },
  especially_major: { zh: '特别重大事故', en: 'an especially major accident' },
};
const perDeath = (grade: AccidentGrade) =>
  yuan(
    `${gradeNames[grade].zh}每瞒报 1 人的奖励`,
    `The amount per concealed death in ${gradeNames[grade].en}`,
  );

const bilingualText = (max: number) =>
  z.strictObject({ zh: text({ min: 1, max }), en: text({ min: 1, max }) });

/** The settings of a reward policy as an administrator sends them (no version: the store's). */
export const rewardPolicySettingsSchema = z.strictObject({
  name: withMeta(bilingualText(60), { description: 'What the policy is called, zh and en.' }),
  source: withMeta(bilingualText(300), {
    description: 'Where the figures come from (the rule and its year), zh and en.',
  }),
  majorHazard: withMeta(fineShareSchema('重大事故隐患', 'a major hazard'), {
    description: 'A major hazard or illegal production with a fine imposed.',
  }),
  generalHazard: withMeta(z.optional(fineShareSchema('一般事故隐患', 'a general hazard')), {
    description: 'Absent: a general hazard is rewarded as a major one (the 2018 rule).',
  }),
  concealedAccident: z.strictObject({
    perDeathYuan: z.strictObject({
      general: perDeath('general'),
      larger: perDeath('larger'),
      major: perDeath('major'),
      especially_major: perDeath('especially_major'),
    }),
    maxYuan: yuan('瞒报事故的最高奖励', 'The maximum for a concealed accident'),
  }),
  // Tips merged into another on the same matter earn nothing of their own here; several
  // tipsters are rewarded together only as joint tipsters. A policy saying otherwise would
  // be stored and not applied: refused instead.
  firstTipsterOnly: z
    .boolean()
    .check(
      z.refine(
        (only) => only,
        said(
          '同一事项只奖励最先举报人（合并的举报不另行奖励）；多人共同举报的，请记录联名举报人，共享一份奖励。',
          'Only the first tipster on the same matter is rewarded (a merged tip earns nothing of its own); tipsters who sent it together are recorded as joint tipsters and share one reward.',
        ),
      ),
    ),
  jointTipstersShare: z.boolean(),
  noticeDays: wholeNumber(
    1,
    60,
    '告知期限须为 1 至 60 天之间的整数。',
    'The notice deadline must be a whole number of days from 1 to 60.',
  ),
  claimDays: wholeNumber(
    1,
    365,
    '领取期限须为 1 至 365 天之间的整数。',
    'The claim deadline must be a whole number of days from 1 to 365.',
  ),
  deadlineUnit: withMeta(z.optional(z.enum(['calendar', 'working'])), {
    description: 'How the notice and claim days count; absent: calendar days.',
  }),
});

/** An administrator's edit of a jurisdiction's reward policy: the whole policy, versioned. */
export const updateRewardPolicySchema = withMeta(
  z.extend(rewardPolicySettingsSchema, {
    expectedVersion: withMeta(z.number().check(z.int(), z.gte(0), z.lte(maxRecordVersion)), {
      description:
        'The version the editor saw: 0 while the jurisdiction follows the national rule.',
    }),
  }),
  { id: 'UpdateRewardPolicy' },
);
export type UpdateRewardPolicy = z.output<typeof updateRewardPolicySchema>;

// Every setting of the domain's policy is sent: one forgotten here is a type error.
const allSettings: RewardPolicySettings = {} as Omit<UpdateRewardPolicy, 'expectedVersion'>;
void allSettings;

const fineShareViewSchema = z.object({
  percent: z.number(),
  minYuan: z.number(),
  maxYuan: z.number(),
});
const bilingualView = z.object({ zh: z.string(), en: z.string() });

/** A jurisdiction's reward policy as administrators read it (the national rule until edited). */
export const rewardPolicyViewSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    policyVersion: withMeta(z.string(), {
      description: 'The version a computed reward names (national-2018-1, cq-gecheng-2…).',
    }),
    name: bilingualView,
    source: bilingualView,
    majorHazard: fineShareViewSchema,
    generalHazard: z.optional(fineShareViewSchema),
    concealedAccident: z.object({
      perDeathYuan: z.object({
        general: z.number(),
        larger: z.number(),
        major: z.number(),
        especially_major: z.number(),
      }),
      maxYuan: z.number(),
    }),
    firstTipsterOnly: z.boolean(),
    jointTipstersShare: z.boolean(),
    noticeDays: z.number(),
    claimDays: z.number(),
    deadlineUnit: z.optional(z.enum(['calendar', 'working'])),
    version: withMeta(z.number().check(z.int(), z.gte(0)), {
      description: 'What an edit sends as expectedVersion; 0 while the national rule applies.',
    }),
    origin: withMeta(z.enum(['national_default', 'administrator']), {
      description: 'national_default: the 2018 national rule; administrator: edited here.',
    }),
    updatedAt: z.optional(z.string()),
    updatedBy: withMeta(z.optional(z.string()), { description: 'The name of who edited it.' }),
  }),
  { id: 'RewardPolicyView' },
);
export type RewardPolicyView = z.infer<typeof rewardPolicyViewSchema>;
