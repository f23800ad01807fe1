import { describe, expect, it } from 'vitest';
import { validate } from '../api/validation.ts';
import { seedCalendar } from '../calendar/calendar.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import type { HazardState } from '../hazards/hazard.ts';
import { defaultLookBackPolicy, lookBackAt, lookBackPolicyFor } from '../hazards/look-back.ts';
import {
  defaultTipTimeLimits,
  tipTimeLimitsFor as limitsOf,
  tipDeadline,
  tipTimeLimitProblems,
} from '../tips/time-limits.ts';
import {
  defaultLookBack,
  escalationLadderView,
  escalationPolicyFor,
  nationalTipLimitDays,
  type StoredEscalationPolicy,
} from './policies.ts';
import { CachedPolicies } from './policy-source.ts';
import {
  lookBackSettingsSchema,
  tipLimitsSchema,
  updateEscalationPolicySchema,
} from './schemas.ts';

/** As the tip's code reads them: from the ladder in force (policy-source.ts). */
const tipTimeLimitsFor = (jurisdiction: string, policy: StoredEscalationPolicy | undefined) =>
  limitsOf(escalationPolicyFor(jurisdiction, policy));

const by = { userId: 'demo:cq-gecheng.administrator', name: '金鑫' };
const ladder = defaultEscalationPolicy.ladder.map(({ name: _, ...rung }) => ({
  ...rung,
  recipients: [...rung.recipients],
}));
const stored = (tipLimits?: StoredEscalationPolicy['tipLimits']): StoredEscalationPolicy => ({
  jurisdiction: 'cq-gecheng',
  ladder,
  officeHours: { startHour: 9, endHour: 18 },
  lateAfterMinutes: 15,
  ...(tipLimits ? { tipLimits } : {}),
  version: 4,
  updatedAt: '2026-12-01T02:00:00.000Z',
  updatedBy: by,
});
const issuesOf = (result: ReturnType<typeof validate>) =>
  result.success ? [] : result.issues.map((issue) => ({ path: issue.path, ...issue.message }));

describe("a tip's time limits as an administrator enters them", () => {
  it('accepts the national defaults and any length within the bounds', () => {
    for (const body of [
      { acceptDays: 3, verifyDays: 60, feedbackDays: 10 },
      { acceptDays: 2, verifyDays: 8, feedbackDays: 4 },
      { acceptDays: 15, verifyDays: 30, feedbackDays: 7 },
    ]) {
      expect(issuesOf(validate(tipLimitsSchema, body)), JSON.stringify(body)).toEqual([]);
    }
  });

  it('refuses, in both languages and saying which limit, a length past the national maximum, too short for its reminder, or not whole', () => {
    const issues = issuesOf(
      validate(tipLimitsSchema, { acceptDays: 1, verifyDays: 61, feedbackDays: 5.5 }),
    );
    expect(issues).toEqual([
      {
        path: 'acceptDays',
        zh: '受理期限须为 2 至 15 个工作日之间的整数。',
        en: 'The acceptance limit must be a whole number of working days from 2 to 15.',
      },
      {
        path: 'verifyDays',
        zh: '核查期限须为 8 至 60 天之间的整数。',
        en: 'The verification limit must be a whole number of days from 8 to 60.',
      },
      {
        path: 'feedbackDays',
        zh: '反馈期限须为 4 至 10 天之间的整数。',
        en: 'The feedback limit must be a whole number of days from 4 to 10.',
      },
    ]);
    expect(issuesOf(validate(tipLimitsSchema, { acceptDays: '3', verifyDays: 60 }))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'acceptDays', zh: expect.stringContaining('受理期限') }),
        expect.objectContaining({ path: 'feedbackDays' }),
      ]),
    );
  });

  it('travels with the ladder edit, which still passes without it', () => {
    const body = {
      ladder,
      officeHours: { startHour: 9, endHour: 18 },
      lateAfterMinutes: 15,
      expectedVersion: 0,
    };
    expect(issuesOf(validate(updateEscalationPolicySchema, body))).toEqual([]);
    expect(
      issuesOf(
        validate(updateEscalationPolicySchema, {
          ...body,
          tipLimits: { acceptDays: 16, verifyDays: 60, feedbackDays: 10 },
        }),
      ).map((issue) => issue.path),
    ).toEqual(['tipLimits.acceptDays']);
  });

  it('every length the schema accepts makes a policy the planner accepts (each reminder fits)', () => {
    for (const acceptDays of [2, 15]) {
      for (const verifyDays of [8, 60]) {
        for (const feedbackDays of [4, 10]) {
          const limits = tipTimeLimitsFor(
            'cq-gecheng',
            stored({ acceptDays, verifyDays, feedbackDays }),
          );
          expect(tipTimeLimitProblems(limits)).toEqual([]);
        }
      }
    }
    // One day shorter than the bound and the reminder would not fit: the bound is the rule's.
    const tooShort = tipTimeLimitsFor(
      'cq-gecheng',
      stored({ acceptDays: 1, verifyDays: 60, feedbackDays: 10 }),
    );
    expect(tipTimeLimitProblems(tooShort)).toHaveLength(1);
  });
});

describe("a tip's time limits in force", () => {
  it('are the defaults until stored with the ladder; stored, they change the lengths only', () => {
    expect(tipTimeLimitsFor('cq-gecheng', undefined)).toBe(defaultTipTimeLimits);
    expect(tipTimeLimitsFor('cq-gecheng', stored())).toBe(defaultTipTimeLimits);
    const edited = tipTimeLimitsFor(
      'cq-gecheng',
      stored({ acceptDays: 5, verifyDays: 30, feedbackDays: 7 }),
    );
    expect([edited.accept.days, edited.verify.days, edited.feedback.days]).toEqual([5, 30, 7]);
    expect(edited.accept.unit).toBe('working');
    expect(edited.accept.ladder).toBe(defaultTipTimeLimits.accept.ladder);
    expect(edited.verify.extension).toBe(defaultTipTimeLimits.verify.extension);
    expect(edited.version).toBe('cq-gecheng-4');
    // Received Thu 3 Dec 2026: 3 working days → Tue 8 Dec 24:00; 5 → Thu 10 Dec 24:00 (CST).
    const thursday = new Date('2026-12-03T02:00:00.000Z');
    expect(tipDeadline(defaultTipTimeLimits.accept, thursday, seedCalendar).toISOString()).toBe(
      '2026-12-08T16:00:00.000Z',
    );
    expect(tipDeadline(edited.accept, thursday, seedCalendar).toISOString()).toBe(
      '2026-12-10T16:00:00.000Z',
    );
  });

  it("are shown to administrators, the defaults included (the defaults are the planner's)", () => {
    expect(nationalTipLimitDays).toEqual({
      acceptDays: defaultTipTimeLimits.accept.days,
      verifyDays: defaultTipTimeLimits.verify.days,
      feedbackDays: defaultTipTimeLimits.feedback.days,
    });
    expect(escalationLadderView('cq-gecheng', undefined).tipLimits).toEqual({
      acceptDays: 3,
      verifyDays: 60,
      feedbackDays: 10,
    });
    expect(
      escalationLadderView('cq-gecheng', stored({ acceptDays: 5, verifyDays: 30, feedbackDays: 7 }))
        .tipLimits,
    ).toEqual({ acceptDays: 5, verifyDays: 30, feedbackDays: 7 });
  });

  it('are read through the policy cache, per jurisdiction', async () => {
    const cache = new CachedPolicies({
      read: async () => ({
        calendarYears: [],
        escalationPolicies: [stored({ acceptDays: 5, verifyDays: 30, feedbackDays: 7 })],
      }),
    });
    expect(limitsOf(await cache.escalationPolicy('cq-gecheng')).accept.days).toBe(5);
    expect(limitsOf(await cache.escalationPolicy('fj-xiamen-xiangan'))).toBe(defaultTipTimeLimits);
  });
});

describe("a step's message template as an administrator enters it", () => {
  const withSubject = (zh: string) => ({
    ladder,
    officeHours: { startHour: 9, endHour: 18 },
    lateAfterMinutes: 15,
    messages: { circular: { subject: { zh, en: 'Circular: {enterprise}' } } },
    expectedVersion: 0,
  });

  it('accepts the placeholders it lists', () => {
    expect(
      issuesOf(
        validate(updateEscalationPolicySchema, withSubject('通报：{enterprise}（{place}）')),
      ),
    ).toEqual([]);
  });

  it('refuses, in both languages, a placeholder it does not know, a Chinese name included', () => {
    for (const name of ['企业', 'enterprize', '']) {
      const issues = issuesOf(
        validate(updateEscalationPolicySchema, withSubject(`通报：{${name}}`)),
      );
      expect(issues, name).toEqual([
        {
          path: 'messages.circular.subject.zh',
          zh: expect.stringContaining(`未知的占位符 {${name}}`),
          en: expect.stringContaining(`Unknown placeholder {${name}}`),
        },
      ]);
    }
  });
});

describe('look-back re-inspection as policy', () => {
  it('refuses, in both languages, a share outside 0–100 % and a delay outside 7–180 days', () => {
    expect(
      issuesOf(validate(lookBackSettingsSchema, { afterDays: 30, generalSamplePercent: 50 })),
    ).toEqual([]);
    expect(
      issuesOf(validate(lookBackSettingsSchema, { afterDays: 3, generalSamplePercent: 120 })),
    ).toEqual([
      {
        path: 'afterDays',
        zh: '回头看须在销号后 7 至 180 天之间（整数）。',
        en: 'The look-back must come 7 to 180 days after closure (a whole number).',
      },
      {
        path: 'generalSamplePercent',
        zh: '一般隐患的抽查比例须为 0 至 100 之间的整数（百分比）。',
        en: 'The share of general hazards looked at again must be a whole per cent from 0 to 100.',
      },
    ]);
  });

  it('is the default until stored; stored, it decides which general hazards are looked at again', () => {
    expect(defaultLookBack).toEqual({
      afterDays: defaultLookBackPolicy.afterDays,
      generalSamplePercent: defaultLookBackPolicy.generalSampleRate * 100,
    });
    expect(lookBackPolicyFor(escalationPolicyFor('cq-gecheng', stored()))).toBe(
      defaultLookBackPolicy,
    );
    const policyWith = (generalSamplePercent: number) =>
      escalationPolicyFor('cq-gecheng', {
        ...stored(),
        lookBack: { afterDays: 14, generalSamplePercent },
      });
    const closedAt = new Date('2026-12-03T02:00:00.000Z');
    const general = (hazardId: string) =>
      ({ hazardId, grade: 'general', round: { number: 1 } }) as unknown as HazardState;
    const sampled = (percent: number) =>
      Array.from({ length: 200 }, (_, i) => general(`h${i}`)).filter((hazard) => {
        const policy = policyWith(percent);
        return lookBackAt(
          hazard,
          closedAt,
          lookBackPolicyFor(policy),
          seedCalendar,
          policy.officeHours,
        );
      }).length;
    expect(sampled(0)).toBe(0);
    expect(sampled(100)).toBe(200);
    const some = sampled(50);
    expect(some).toBeGreaterThan(70);
    expect(some).toBeLessThan(130);
    // 14 days after Thu 3 Dec: Thu 17 Dec, 09:00 CST.
    const policy = policyWith(100);
    expect(
      lookBackAt(
        general('h1'),
        closedAt,
        lookBackPolicyFor(policy),
        seedCalendar,
        policy.officeHours,
      ),
    ).toBe('2026-12-17T01:00:00.000Z');
  });
});
