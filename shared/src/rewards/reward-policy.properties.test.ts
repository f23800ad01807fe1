import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccidentGrade,
  type CaseOutcome,
  computeReward,
  type FineShare,
  nationalRewardPolicy,
  type RewardPolicy,
  shandongRewardPolicy,
} from './reward-policy.ts';
import { splitReward } from './reward-split.ts';

/**
 * Properties of the calculator against the policy (RULES.md, "Tips and rewards"), over
 * arbitrary policies within valid bounds and the two built-in ones, for every outcome kind.
 * Money is integer fen throughout.
 */

const grades: readonly AccidentGrade[] = ['general', 'larger', 'major', 'especially_major'];

// Whole yuan; up to 1,000,000,000 yuan of fine keeps fen × percent a safe integer.
const yuan = (max: number) => fc.integer({ min: 0, max });
const fineYuan = yuan(1_000_000_000);

const fineShare: fc.Arbitrary<FineShare> = fc
  .record({
    percent: fc.integer({ min: 1, max: 100 }),
    minYuan: yuan(1_000_000),
    spanYuan: yuan(10_000_000),
  })
  .map(({ percent, minYuan, spanYuan }) => ({ percent, minYuan, maxYuan: minYuan + spanYuan }));

const arbitraryPolicy: fc.Arbitrary<RewardPolicy> = fc
  .record({
    version: fc.stringMatching(/^[a-z]{2}-[a-z]{1,8}-[1-9]\d{0,3}$/),
    majorHazard: fineShare,
    generalHazard: fc.option(fineShare, { nil: undefined }),
    perDeath: fc.tuple(yuan(1_000_000), yuan(1_000_000), yuan(1_000_000), yuan(1_000_000)),
    accidentMaxYuan: yuan(10_000_000),
    noticeDays: fc.integer({ min: 1, max: 365 }),
    claimDays: fc.integer({ min: 1, max: 365 }),
  })
  .map(({ generalHazard, perDeath, accidentMaxYuan, ...rest }) => ({
    ...nationalRewardPolicy,
    ...rest,
    ...(generalHazard ? { generalHazard } : {}),
    concealedAccident: {
      perDeathYuan: {
        general: perDeath[0],
        larger: perDeath[1],
        major: perDeath[2],
        especially_major: perDeath[3],
      },
      maxYuan: accidentMaxYuan,
    },
  }));

const policy = fc.oneof(
  fc.constant(nationalRewardPolicy),
  fc.constant(shandongRewardPolicy),
  arbitraryPolicy,
);

const hazardGrade = fc.constantFrom('major' as const, 'general' as const);
const fineOutcome = fc.record({
  kind: fc.constant('fine_imposed' as const),
  hazardGrade,
  fineYuan,
});
const accidentOutcome = fc.record({
  kind: fc.constant('accident_concealed' as const),
  accidentGrade: fc.constantFrom(...grades),
  deaths: fc.integer({ min: 1, max: 1_000 }),
});
const outcome: fc.Arbitrary<CaseOutcome> = fc.oneof(
  fineOutcome,
  accidentOutcome,
  fc.constant({ kind: 'nothing_found' as const }),
);

/** The bounds the policy sets on an outcome, in fen. */
function boundsFen(policy: RewardPolicy, outcome: CaseOutcome): { min: number; max: number } {
  switch (outcome.kind) {
    case 'fine_imposed': {
      const share =
        outcome.hazardGrade === 'general' && policy.generalHazard
          ? policy.generalHazard
          : policy.majorHazard;
      return { min: share.minYuan * 100, max: share.maxYuan * 100 };
    }
    case 'accident_concealed':
      return { min: 0, max: policy.concealedAccident.maxYuan * 100 };
    case 'nothing_found':
      return { min: 0, max: 0 };
  }
}

describe('the calculator, for any policy within bounds and every outcome', () => {
  it('pays whole fen, never below the minimum nor above the maximum', () => {
    fc.assert(
      fc.property(policy, outcome, (policy, outcome) => {
        const { amountFen } = computeReward(policy, outcome);
        const { min, max } = boundsFen(policy, outcome);
        expect(Number.isSafeInteger(amountFen)).toBe(true);
        expect(amountFen).toBeGreaterThanOrEqual(min);
        expect(amountFen).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('pays the share of the fine rounded down to the fen, when it is within the bounds', () => {
    fc.assert(
      fc.property(policy, fineOutcome, (policy, outcome) => {
        const { amountFen } = computeReward(policy, outcome);
        const { min, max } = boundsFen(policy, outcome);
        const share = outcome.hazardGrade === 'general' && policy.generalHazard;
        const percent = share ? share.percent : policy.majorHazard.percent;
        const exact = Math.floor((outcome.fineYuan * 100 * percent) / 100);
        expect(amountFen).toBe(Math.min(Math.max(exact, min), max));
      }),
    );
  });

  it('is monotone in the fine: a larger fine never earns less', () => {
    fc.assert(
      fc.property(policy, hazardGrade, fineYuan, fineYuan, (policy, hazardGrade, a, b) => {
        const [smaller, larger] = a <= b ? [a, b] : [b, a];
        const reward = (fine: number) =>
          computeReward(policy, { kind: 'fine_imposed', hazardGrade, fineYuan: fine }).amountFen;
        expect(reward(smaller)).toBeLessThanOrEqual(reward(larger));
      }),
    );
  });

  it('is monotone in the concealed deaths, and pays per death up to the cap', () => {
    fc.assert(
      fc.property(policy, accidentOutcome, fc.nat(100), (policy, outcome, more) => {
        const reward = (deaths: number) => computeReward(policy, { ...outcome, deaths }).amountFen;
        const perDeathFen = policy.concealedAccident.perDeathYuan[outcome.accidentGrade] * 100;
        expect(reward(outcome.deaths)).toBe(
          Math.min(perDeathFen * outcome.deaths, policy.concealedAccident.maxYuan * 100),
        );
        expect(reward(outcome.deaths)).toBeLessThanOrEqual(reward(outcome.deaths + more));
      }),
    );
  });

  it('is deterministic for a policy version: the same figures every time, the version named', () => {
    fc.assert(
      fc.property(policy, outcome, (policy, outcome) => {
        const first = computeReward(policy, outcome);
        // A copy of the same version (as read back from the tip's record) gives the same.
        const again = computeReward(structuredClone(policy), structuredClone(outcome));
        expect(again).toEqual(first);
        expect(first.policyVersion).toBe(policy.version);
      }),
    );
  });

  it('pays nothing when nothing was found, whatever the policy', () => {
    fc.assert(
      fc.property(policy, (policy) => {
        expect(computeReward(policy, { kind: 'nothing_found' }).amountFen).toBe(0);
      }),
    );
  });
});

describe("joint tipsters' shares", () => {
  const tipsters = fc.integer({ min: 1, max: 50 });

  it('sum exactly to the reward, differ by 1 fen at most, the larger first', () => {
    fc.assert(
      fc.property(policy, outcome, tipsters, (policy, outcome, count) => {
        const { amountFen } = computeReward(policy, outcome);
        const shares = splitReward(amountFen, count);
        expect(shares).toHaveLength(count);
        expect(shares.reduce((sum, share) => sum + share, 0)).toBe(amountFen);
        for (const share of shares) expect(Number.isSafeInteger(share) && share >= 0).toBe(true);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        expect([...shares].sort((a, b) => b - a)).toEqual(shares);
        expect(splitReward(amountFen, count)).toEqual(shares);
      }),
    );
  });

  it('split any whole amount of fen, not only computed ones', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), tipsters, (totalFen, count) => {
        const shares = splitReward(totalFen, count);
        expect(shares.reduce((sum, share) => sum + share, 0)).toBe(totalFen);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('refuse what is not a whole amount or a whole number of tipsters', () => {
    expect(() => splitReward(100.5, 2)).toThrow(RangeError);
    expect(() => splitReward(-1, 2)).toThrow(RangeError);
    expect(() => splitReward(100, 0)).toThrow(RangeError);
    expect(() => splitReward(100, 1.5)).toThrow(RangeError);
  });

  it('split 10,000.01 yuan three ways as 3,333.34 + 3,333.34 + 3,333.33', () => {
    expect(splitReward(1_000_001, 3)).toEqual([333_334, 333_334, 333_333]);
    expect(splitReward(1_200_000, 1)).toEqual([1_200_000]);
    expect(splitReward(0, 4)).toEqual([0, 0, 0, 0]);
  });
});
