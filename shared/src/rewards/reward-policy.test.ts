import { describe, expect, it } from 'vitest';
import {
  computeReward,
  formatYuan,
  nationalRewardPolicy,
  rewardPolicyFor,
  type StoredRewardPolicy,
  shandongRewardPolicy,
} from './reward-policy.ts';

// The figures are RULES.md's, "Tips and rewards".
const national = nationalRewardPolicy;
const shandong = shandongRewardPolicy;

describe('the national rule (2018)', () => {
  it('pays 15% of the fine, written out with its figures', () => {
    const reward = computeReward(national, {
      kind: 'fine_imposed',
      hazardGrade: 'major',
      fineYuan: 80_000,
    });
    expect(reward.amountFen).toBe(1_200_000);
    expect(reward.policyVersion).toBe('national-2018-1');
    expect(reward.figures.zh).toBe(
      '罚款 80,000 元 × 15% = 12,000 元，不低于 3,000 元，不高于 300,000 元',
    );
    expect(reward.figures.en).toContain('fine 80,000 yuan × 15% = 12,000 yuan');
    expect(reward.rule.zh).toContain('15%');
  });

  it('pays at least 3,000 yuan', () => {
    const reward = computeReward(national, {
      kind: 'fine_imposed',
      hazardGrade: 'major',
      fineYuan: 10_000,
    });
    expect(reward.amountFen).toBe(300_000);
    expect(reward.figures.zh).toBe('罚款 10,000 元 × 15% = 1,500 元，低于最低额，按 3,000 元');
  });

  it('pays at most 300,000 yuan', () => {
    const reward = computeReward(national, {
      kind: 'fine_imposed',
      hazardGrade: 'major',
      fineYuan: 3_000_000,
    });
    expect(reward.amountFen).toBe(30_000_000);
    expect(reward.figures.en).toBe(
      'fine 3,000,000 yuan × 15% = 450,000 yuan, above the maximum: 300,000 yuan',
    );
  });

  it('is exact to the fen, in integers', () => {
    const reward = computeReward(national, {
      kind: 'fine_imposed',
      hazardGrade: 'major',
      fineYuan: 123_457,
    });
    // 123,457 × 15% = 18,518.55
    expect(reward.amountFen).toBe(1_851_855);
    expect(formatYuan(reward.amountFen)).toBe('18,518.55');
  });

  it('has no separate amounts for general hazards: the fine share applies', () => {
    const reward = computeReward(national, {
      kind: 'fine_imposed',
      hazardGrade: 'general',
      fineYuan: 40_000,
    });
    expect(reward.amountFen).toBe(600_000);
  });

  it('pays per concealed death by the grade of the accident', () => {
    const cases = [
      ['general', 30_000],
      ['larger', 40_000],
      ['major', 50_000],
      ['especially_major', 60_000],
    ] as const;
    for (const [accidentGrade, perDeath] of cases) {
      const reward = computeReward(national, {
        kind: 'accident_concealed',
        accidentGrade,
        deaths: 2,
      });
      expect(reward.amountFen).toBe(2 * perDeath * 100);
    }
    const reward = computeReward(national, {
      kind: 'accident_concealed',
      accidentGrade: 'larger',
      deaths: 3,
    });
    expect(reward.figures.zh).toBe('3 人 × 40,000 元 = 120,000 元，不高于 300,000 元');
  });

  it('caps the per-death reward at 300,000 yuan', () => {
    const reward = computeReward(national, {
      kind: 'accident_concealed',
      accidentGrade: 'especially_major',
      deaths: 6,
    });
    expect(reward.amountFen).toBe(30_000_000);
    expect(reward.figures.zh).toBe('6 人 × 60,000 元 = 360,000 元，超过最高额，按 300,000 元');
  });

  it('pays nothing when nothing was found', () => {
    const reward = computeReward(national, { kind: 'nothing_found' });
    expect(reward.amountFen).toBe(0);
    expect(reward.rule.en).toContain('no reward');
  });

  it('names its source, its deadlines and the first-tipster rule', () => {
    expect(national.source.zh).toContain('安全生产领域举报奖励办法');
    expect(national.noticeDays).toBe(20);
    expect(national.claimDays).toBe(60);
    expect(national.firstTipsterOnly).toBe(true);
    expect(national.jointTipstersShare).toBe(true);
  });

  it('refuses a fine that is not whole yuan', () => {
    expect(() =>
      computeReward(national, { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 0.5 }),
    ).toThrow(RangeError);
  });
});

describe('Shandong (2024)', () => {
  it('pays 50% of the fine for a major hazard, 5,000 to 500,000 yuan', () => {
    const fine = (fineYuan: number) =>
      computeReward(shandong, { kind: 'fine_imposed', hazardGrade: 'major', fineYuan }).amountFen;
    expect(fine(80_000)).toBe(4_000_000);
    expect(fine(6_000)).toBe(500_000);
    expect(fine(2_000_000)).toBe(50_000_000);
  });

  it('pays a general hazard 500 to 5,000 yuan', () => {
    const fine = (fineYuan: number) =>
      computeReward(shandong, { kind: 'fine_imposed', hazardGrade: 'general', fineYuan }).amountFen;
    expect(fine(0)).toBe(50_000);
    expect(fine(4_000)).toBe(200_000);
    expect(fine(20_000)).toBe(500_000);
    const reward = computeReward(shandong, {
      kind: 'fine_imposed',
      hazardGrade: 'general',
      fineYuan: 4_000,
    });
    expect(reward.rule.zh).toContain('一般事故隐患');
    expect(reward.policyVersion).toBe('shandong-2024-1');
  });
});

describe('Shandong (2024), as a table', () => {
  // RULES.md's example: an anonymous web tipster was paid 270,000 yuan (50% of 540,000).
  it.each([
    ['major', 540_000, 27_000_000],
    ['major', 9_999, 500_000],
    ['major', 10_001, 500_050],
    ['major', 999_999, 49_999_950],
    ['major', 1_000_001, 50_000_000],
    ['general', 999, 50_000],
    ['general', 1_001, 50_050],
    ['general', 10_000, 500_000],
    ['general', 10_001, 500_000],
  ] as const)('a %s hazard fined %i yuan earns %i fen', (hazardGrade, fineYuan, fen) => {
    expect(computeReward(shandong, { kind: 'fine_imposed', hazardGrade, fineYuan }).amountFen).toBe(
      fen,
    );
  });

  it('keeps the national amounts for concealed accidents', () => {
    const outcome = { kind: 'accident_concealed', accidentGrade: 'major', deaths: 3 } as const;
    expect(computeReward(shandong, outcome).amountFen).toBe(15_000_000);
    expect(computeReward(shandong, outcome).amountFen).toBe(
      computeReward(national, outcome).amountFen,
    );
  });
});

describe('the national rule, as a table', () => {
  it.each([
    [0, 300_000],
    [20_000, 300_000],
    [20_001, 300_015],
    [1_999_999, 29_999_985],
    [2_000_000, 30_000_000],
    [2_000_001, 30_000_000],
  ] as const)('a major hazard fined %i yuan earns %i fen', (fineYuan, fen) => {
    expect(
      computeReward(national, { kind: 'fine_imposed', hazardGrade: 'major', fineYuan }).amountFen,
    ).toBe(fen);
  });
});

describe('the policy in force', () => {
  it('is the national rule where none is stored', () => {
    expect(rewardPolicyFor('cq-gecheng', undefined)).toBe(nationalRewardPolicy);
  });

  it('is the stored one, versioned per jurisdiction', () => {
    const { version: _v, ...settings } = shandongRewardPolicy;
    const stored: StoredRewardPolicy = {
      ...settings,
      jurisdiction: 'sd-demo',
      version: 3,
      updatedAt: '2026-11-01T00:00:00.000Z',
      updatedBy: { userId: 'demo:admin', name: '金鑫' },
    };
    const policy = rewardPolicyFor('sd-demo', stored);
    expect(policy.version).toBe('sd-demo-3');
    expect(policy.majorHazard.percent).toBe(50);
    expect(policy).not.toHaveProperty('updatedBy');
  });
});
