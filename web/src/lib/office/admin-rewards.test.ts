import { describe, expect, it } from 'vitest';
import { formOf, type RewardPolicyView, rewardEditOf } from './admin-rewards.ts';

const national: RewardPolicyView = {
  jurisdiction: 'cq-gecheng',
  policyVersion: 'national-2018-1',
  name: { zh: '全国标准（2018）', en: 'National rule (2018)' },
  source: { zh: '《安全生产领域举报奖励办法》（2018）', en: 'Measures (2018)' },
  majorHazard: { percent: 15, minYuan: 3_000, maxYuan: 300_000 },
  concealedAccident: {
    perDeathYuan: { general: 30_000, larger: 40_000, major: 50_000, especially_major: 60_000 },
    maxYuan: 300_000,
  },
  firstTipsterOnly: true,
  jointTipstersShare: true,
  noticeDays: 20,
  claimDays: 60,
  version: 0,
  origin: 'national_default',
};

describe("the reward policy page's edit", () => {
  it('sends the policy as read, naming the version read, with no general amounts unless ticked', () => {
    const body = rewardEditOf(national, formOf(national));
    const { jurisdiction: _j, policyVersion: _p, version: _v, origin: _o, ...settings } = national;
    expect(body).toEqual({ ...settings, expectedVersion: 0 });
    expect('generalHazard' in body).toBe(false);
    expect('deadlineUnit' in body).toBe(false);
  });

  it('sends what was typed: a new minimum, general-hazard amounts, working days', () => {
    const form = formOf({ ...national, version: 3, origin: 'administrator' });
    form.majorHazard.minYuan = 20_000;
    form.hasGeneralHazard = true;
    form.generalHazard = { percent: 50, minYuan: 500, maxYuan: 5_000 };
    form.deadlineUnit = 'working';
    const body = rewardEditOf({ ...national, version: 3 }, form);
    expect(body).toMatchObject({
      majorHazard: { percent: 15, minYuan: 20_000, maxYuan: 300_000 },
      generalHazard: { percent: 50, minYuan: 500, maxYuan: 5_000 },
      deadlineUnit: 'working',
      expectedVersion: 3,
    });
    // The view read is not changed by typing in the form.
    expect(national.majorHazard.minYuan).toBe(3_000);
  });
});
