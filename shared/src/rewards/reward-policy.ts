import type { Bilingual } from '../i18n/text.ts';

/**
 * Reward policies as data (RULES.md, "Tips and rewards"): what a substantiated tip earns,
 * per jurisdiction, versioned, the source named beside the figures. Pure: no I/O.
 *
 * Money is exact: every amount is an integer number of fen (分, 1/100 yuan); a share of a
 * fine is a whole percent, computed in integers and rounded down to the fen.
 */

/** A share of the fine imposed, kept between a minimum and a maximum (yuan). */
export interface FineShare {
  percent: number;
  minYuan: number;
  maxYuan: number;
}

export type AccidentGrade = 'general' | 'larger' | 'major' | 'especially_major';

export const accidentGradeNames: Record<AccidentGrade, Bilingual> = {
  general: { zh: '一般事故', en: 'general accident' },
  larger: { zh: '较大事故', en: 'larger accident' },
  major: { zh: '重大事故', en: 'major accident' },
  especially_major: { zh: '特别重大事故', en: 'especially major accident' },
};

export interface RewardPolicy {
  /** e.g. 'national-2018-1', or '<jurisdiction>-<stored version>' once edited. */
  version: string;
  name: Bilingual;
  /** Where the figures come from. */
  source: Bilingual;
  /** A substantiated major hazard or illegal production with a fine imposed. */
  majorHazard: FineShare;
  /** A general hazard with a fine imposed; absent: the policy has no separate amounts. */
  generalHazard?: FineShare;
  /** Revealing a concealed or falsely reported accident: yuan per concealed death. */
  concealedAccident: { perDeathYuan: Record<AccidentGrade, number>; maxYuan: number };
  /** Only the first tipster on the same matter is rewarded; joint tipsters share one. */
  firstTipsterOnly: boolean;
  jointTipstersShare: boolean;
  /** Days after the verification result within which the tipster is told of the reward. */
  noticeDays: number;
  /** Days the tipster has to claim it; after that it lapses without a good reason. */
  claimDays: number;
  /** How notice and claim days count; absent: calendar days (the 2018 rule's 日). */
  deadlineUnit?: 'calendar' | 'working';
}

/** 《安全生产领域举报奖励办法》(2018): the default everywhere nothing else is set. */
export const nationalRewardPolicy: RewardPolicy = {
  version: 'national-2018-1',
  name: { zh: '全国标准（2018）', en: 'National rule (2018)' },
  source: {
    zh: '《安全生产领域举报奖励办法》（2018）；领取期限 60 日未经核实',
    en: 'Measures for Rewarding Tips in Work Safety (2018); the 60-day claim limit is unverified',
  },
  majorHazard: { percent: 15, minYuan: 3_000, maxYuan: 300_000 },
  concealedAccident: {
    perDeathYuan: { general: 30_000, larger: 40_000, major: 50_000, especially_major: 60_000 },
    maxYuan: 300_000,
  },
  firstTipsterOnly: true,
  jointTipstersShare: true,
  noticeDays: 20,
  claimDays: 60,
};

/**
 * Shandong 2024: a stronger local rule. RULES.md gives its fine share and its ranges for
 * major and general hazards only; the rest (accidents, deadlines) is the national rule's.
 */
export const shandongRewardPolicy: RewardPolicy = {
  ...nationalRewardPolicy,
  version: 'shandong-2024-1',
  name: { zh: '山东省标准（2024）', en: 'Shandong rule (2024)' },
  source: {
    zh: '山东省安全生产举报奖励规定（2024）：罚款的 50%，重大隐患 5,000–500,000 元，一般隐患 500–5,000 元；其余沿用全国标准',
    en: 'Shandong reward rule (2024): 50% of the fine, major hazards 5,000–500,000 yuan, general hazards 500–5,000 yuan; the rest as the national rule',
  },
  majorHazard: { percent: 50, minYuan: 5_000, maxYuan: 500_000 },
  generalHazard: { percent: 50, minYuan: 500, maxYuan: 5_000 },
};

/** The case result an officer records on a substantiated tip, with its document number. */
export type CaseOutcome =
  | { kind: 'fine_imposed'; hazardGrade: 'major' | 'general'; fineYuan: number }
  | { kind: 'accident_concealed'; accidentGrade: AccidentGrade; deaths: number }
  | { kind: 'nothing_found' };

export interface RewardComputation {
  /** Integer fen; 0 when the outcome earns no reward. */
  amountFen: number;
  /** The policy version that produced it. */
  policyVersion: string;
  /** The rule applied, named. */
  rule: Bilingual;
  /** The figures, written out: "罚款 80,000 元 × 15% = 12,000 元，不低于 3,000 元". */
  figures: Bilingual;
}

const fenPerYuan = 100;

/** "12,000" or "1,851.75": yuan from fen, grouped, with fen only when there are some. */
export function formatYuan(fen: number): string {
  const yuan = Math.trunc(fen / fenPerYuan);
  const rest = fen % fenPerYuan;
  const grouped = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rest === 0 ? grouped : `${grouped}.${rest.toString().padStart(2, '0')}`;
}

const money = (fen: number) => ({ zh: `${formatYuan(fen)} 元`, en: `${formatYuan(fen)} yuan` });

function assertWholeNonNegative(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole, non-negative number (got ${value})`);
  }
}

function fineShareReward(
  policy: RewardPolicy,
  share: FineShare,
  fineYuan: number,
  rule: Bilingual,
): RewardComputation {
  assertWholeNonNegative(fineYuan, 'fineYuan');
  const fineFen = fineYuan * fenPerYuan;
  const product = fineFen * share.percent;
  const raw = (product - (product % 100)) / 100; // rounded down to the fen, in integers
  const min = share.minYuan * fenPerYuan;
  const max = share.maxYuan * fenPerYuan;
  const amountFen = Math.min(Math.max(raw, min), max);
  const base = {
    zh: `罚款 ${money(fineFen).zh} × ${share.percent}% = ${money(raw).zh}`,
    en: `fine ${money(fineFen).en} × ${share.percent}% = ${money(raw).en}`,
  };
  const clamp =
    raw < min
      ? { zh: `，低于最低额，按 ${money(min).zh}`, en: `, below the minimum: ${money(min).en}` }
      : raw > max
        ? { zh: `，超过最高额，按 ${money(max).zh}`, en: `, above the maximum: ${money(max).en}` }
        : {
            zh: `，不低于 ${money(min).zh}，不高于 ${money(max).zh}`,
            en: `, within ${money(min).en} to ${money(max).en}`,
          };
  return {
    amountFen,
    policyVersion: policy.version,
    rule,
    figures: { zh: base.zh + clamp.zh, en: base.en + clamp.en },
  };
}

/** What an outcome earns under a policy, with the rule and figures that produced it. */
export function computeReward(policy: RewardPolicy, outcome: CaseOutcome): RewardComputation {
  switch (outcome.kind) {
    case 'fine_imposed': {
      if (outcome.hazardGrade === 'general' && policy.generalHazard) {
        return fineShareReward(policy, policy.generalHazard, outcome.fineYuan, {
          zh: `${policy.name.zh}：一般事故隐患，按罚款的 ${policy.generalHazard.percent}% 奖励`,
          en: `${policy.name.en}: a general hazard, ${policy.generalHazard.percent}% of the fine`,
        });
      }
      const share = policy.majorHazard;
      return fineShareReward(policy, share, outcome.fineYuan, {
        zh: `${policy.name.zh}：重大事故隐患或非法违法生产经营，按罚款的 ${share.percent}% 奖励`,
        en: `${policy.name.en}: a major hazard or illegal production, ${share.percent}% of the fine`,
      });
    }
    case 'accident_concealed': {
      assertWholeNonNegative(outcome.deaths, 'deaths');
      const { perDeathYuan, maxYuan } = policy.concealedAccident;
      const perDeath = perDeathYuan[outcome.accidentGrade] * fenPerYuan;
      const raw = perDeath * outcome.deaths;
      const max = maxYuan * fenPerYuan;
      const amountFen = Math.min(raw, max);
      const grade = accidentGradeNames[outcome.accidentGrade];
      const capped = raw > max;
      return {
        amountFen,
        policyVersion: policy.version,
        rule: {
          zh: `${policy.name.zh}：举报瞒报、谎报${grade.zh}，按瞒报死亡人数奖励`,
          en: `${policy.name.en}: revealing a concealed ${grade.en}, per concealed death`,
        },
        figures: {
          zh:
            `${outcome.deaths} 人 × ${money(perDeath).zh} = ${money(raw).zh}` +
            (capped ? `，超过最高额，按 ${money(max).zh}` : `，不高于 ${money(max).zh}`),
          en:
            `${outcome.deaths} × ${money(perDeath).en} = ${money(raw).en}` +
            (capped ? `, above the maximum: ${money(max).en}` : `, at most ${money(max).en}`),
        },
      };
    }
    case 'nothing_found':
      return {
        amountFen: 0,
        policyVersion: policy.version,
        rule: {
          zh: `${policy.name.zh}：查无违法事实，不予奖励`,
          en: `${policy.name.en}: nothing found, no reward`,
        },
        figures: { zh: '0 元', en: '0 yuan' },
      };
  }
}

/** The reward policy in force in a jurisdiction: its stored one, or the national rule. */
export function rewardPolicyFor(
  jurisdiction: string,
  stored: StoredRewardPolicy | undefined,
): RewardPolicy {
  if (!stored) return nationalRewardPolicy;
  const { jurisdiction: _code, version, updatedAt, updatedBy, ...settings } = stored;
  return { ...settings, version: `${jurisdiction}-${version}` };
}

export type RewardPolicySettings = Omit<RewardPolicy, 'version'>;

export interface StoredRewardPolicy extends RewardPolicySettings {
  jurisdiction: string;
  version: number;
  updatedAt: string;
  updatedBy: { userId: string; name: string };
}
