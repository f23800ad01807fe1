import { describe, expect, it } from 'vitest';
import { validate } from '../api/validation.ts';
import { calendarWarnings, endOfCstDay, isWorkingDay, seedCalendar } from '../calendar/calendar.ts';
import {
  defaultEscalationPolicy,
  planEscalation,
  spreadOffsetMs,
  stepKey,
} from '../hazards/escalation.ts';
import {
  calendarYears,
  changedRecipients,
  effectiveCalendar,
  escalationLadderView,
  escalationPolicyFor,
  jurisdictionContactsView,
  type StoredCalendarYear,
  type StoredEscalationPolicy,
  type StoredPolicies,
} from './policies.ts';
import { CachedPolicies } from './policy-source.ts';
import {
  calendarYearSchemaFor,
  updateEscalationPolicySchema,
  updateJurisdictionContactsSchema,
} from './schemas.ts';

const by = { userId: 'demo:cq-gecheng.administrator', name: '金鑫' };

// TEST DATA, NOT THE OFFICIAL 2027 CALENDAR: a plausible Spring Festival made up for these
// tests (the State Council had not published 2027's when this was written).
const made2027: StoredCalendarYear = {
  year: 2027,
  holidays: [
    '2027-01-01',
    ...['06', '07', '08', '09', '10', '11', '12'].map((d) => `2027-02-${d}`),
  ],
  workdays: ['2027-02-13', '2027-02-20'],
  version: 1,
  updatedAt: '2026-11-20T02:00:00.000Z',
  updatedBy: by,
};

const ladderBody = (offsets: readonly number[]) => ({
  ladder: defaultEscalationPolicy.ladder.map((rung, index) => ({
    step: rung.step,
    offsetDays: offsets[index] ?? rung.offsetDays,
    urgent: rung.urgent,
    recipients: [...rung.recipients],
  })),
  officeHours: { startHour: 9, endHour: 18 },
  lateAfterMinutes: 15,
  expectedVersion: 0,
});

const storedLadder = (offsets: readonly number[], version = 1): StoredEscalationPolicy => {
  const { expectedVersion: _, ...settings } = ladderBody(offsets);
  return {
    ...settings,
    jurisdiction: 'cq-gecheng',
    version,
    updatedAt: '2026-11-20T02:00:00.000Z',
    updatedBy: by,
  };
};

const issuesOf = (result: ReturnType<typeof validate>) =>
  result.success ? [] : result.issues.map((issue) => ({ path: issue.path, ...issue.message }));

describe('a calendar year as an administrator enters it', () => {
  it("accepts every year of the seed as it is (chinese-days' data passes the same checks)", () => {
    for (const [year, days] of Object.entries(seedCalendar.years)) {
      const result = validate(calendarYearSchemaFor(Number(year)), {
        ...days,
        expectedVersion: 0,
      });
      expect(issuesOf(result), year).toEqual([]);
    }
  });

  it('normalises what was typed: full-width digits, any order, a date twice', () => {
    const result = validate(calendarYearSchemaFor(2027), {
      holidays: ['2027-02-08', '２０２７-０２-０６', ' 2027-02-07 ', '2027-02-06'],
      workdays: ['2027-02-20', '2027-02-13'],
      expectedVersion: 0,
    });
    expect(result.success && result.data).toEqual({
      holidays: ['2027-02-06', '2027-02-07', '2027-02-08'],
      workdays: ['2027-02-13', '2027-02-20'],
      expectedVersion: 0,
    });
  });

  it('refuses, in both languages, a date outside the year, a date in both lists, a weekday make-up day, a date that does not exist', () => {
    const issues = issuesOf(
      validate(calendarYearSchemaFor(2027), {
        holidays: ['2026-12-31', '2027-02-13'],
        workdays: ['2027-02-13', '2027-02-15'],
        expectedVersion: 0,
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'holidays',
          zh: expect.stringContaining('不在 2027 年内'),
          en: expect.stringContaining('2026-12-31 is not in 2027'),
        },
        {
          path: 'workdays',
          zh: expect.stringContaining('既是放假日又是调休上班日'),
          en: expect.stringContaining('2027-02-13 cannot be both'),
        },
        {
          path: 'workdays',
          zh: expect.stringContaining('周六或周日'),
          en: expect.stringContaining('2027-02-15 is a weekday'),
        },
      ]),
    );
    const impossible = issuesOf(
      validate(calendarYearSchemaFor(2027), {
        holidays: ['2027-02-30'],
        workdays: [],
        expectedVersion: 0,
      }),
    );
    expect(impossible).toEqual([
      {
        path: 'holidays.0',
        zh: expect.stringContaining('真实存在'),
        en: expect.stringContaining('real'),
      },
    ]);
  });
});

describe('the calendar in force', () => {
  it('is the seed with the stored years over it: a stored year replaces the seed year whole', () => {
    const corrected2026: StoredCalendarYear = {
      ...made2027,
      year: 2026,
      holidays: ['2026-01-01'],
      workdays: [],
    };
    const calendar = effectiveCalendar(seedCalendar, [made2027, corrected2026]);
    expect(Object.keys(calendar.years)).toEqual(['2024', '2025', '2026', '2027']);
    expect(calendar.years['2026']?.holidays).toEqual(['2026-01-01']);
    expect(calendar.years['2025']).toEqual(seedCalendar.years['2025']);
    expect(isWorkingDay(calendar, '2027-02-08')).toBe(false); // a Monday off
    expect(isWorkingDay(calendar, '2027-02-13')).toBe(true); // a Saturday at work
    // The seed itself is untouched.
    expect(seedCalendar.years['2027']).toBeUndefined();
  });

  it('lists each year with its source and the version an edit must name', () => {
    const years = calendarYears(seedCalendar, [made2027]);
    expect(years.map(({ year, source, version }) => ({ year, source, version }))).toEqual([
      { year: 2024, source: 'seed', version: 0 },
      { year: 2025, source: 'seed', version: 0 },
      { year: 2026, source: 'seed', version: 0 },
      { year: 2027, source: 'administrator', version: 1 },
    ]);
    expect(years[3]?.updatedBy).toBe('金鑫');
  });

  it('silences the warning about 2027 once 2027 is entered', () => {
    const lateNovember = new Date('2026-11-20T02:00:00.000Z');
    expect(calendarWarnings(seedCalendar, lateNovember).map((w) => w.year)).toEqual([2027]);
    expect(calendarWarnings(effectiveCalendar(seedCalendar, [made2027]), lateNovember)).toEqual([]);
  });
});

describe("a jurisdiction's escalation ladder as an administrator enters it", () => {
  it('accepts the national default ladder', () => {
    expect(issuesOf(validate(updateEscalationPolicySchema, ladderBody([])))).toEqual([]);
  });

  it('refuses steps out of order, in both languages', () => {
    const body = ladderBody([]);
    const [first, second] = body.ladder;
    if (!first || !second) throw new Error('ladder');
    body.ladder[0] = { ...second, offsetDays: -3 };
    body.ladder[1] = { ...first, offsetDays: 0 };
    const issues = issuesOf(validate(updateEscalationPolicySchema, body));
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'ladder.0.step',
          zh: expect.stringContaining('第 1 步应为“到期提醒”'),
          en: expect.stringContaining('Step 1 must be the reminder'),
        },
      ]),
    );
  });

  it('refuses offsets that do not increase, saying which step', () => {
    const issues = issuesOf(validate(updateEscalationPolicySchema, ladderBody([-3, 0, 14, 14])));
    expect(issues).toEqual([
      {
        path: 'ladder.3.offsetDays',
        zh: '“约谈”的天数（14）须晚于上一步“通报”（14）。',
        en: 'The summons (14 days) must come after the circular (14 days).',
      },
    ]);
  });

  it('refuses office hours that do not start before they end, a missing step, a step telling nobody', () => {
    const hours = issuesOf(
      validate(updateEscalationPolicySchema, {
        ...ladderBody([]),
        officeHours: { startHour: 18, endHour: 9 },
      }),
    );
    expect(hours).toEqual([
      {
        path: 'officeHours.endHour',
        zh: expect.stringContaining('办公时间的开始须早于结束'),
        en: expect.stringContaining('Office hours must start before they end'),
      },
    ]);
    const body = ladderBody([]);
    const short = issuesOf(
      validate(updateEscalationPolicySchema, { ...body, ladder: body.ladder.slice(0, 4) }),
    );
    expect(short[0]).toMatchObject({ path: 'ladder', zh: expect.stringContaining('全部五个步骤') });
    const silent = ladderBody([]);
    if (silent.ladder[2]) silent.ladder[2].recipients = [];
    expect(issuesOf(validate(updateEscalationPolicySchema, silent))).toEqual([
      {
        path: 'ladder.2.recipients',
        zh: '每一步至少要告知一方。',
        en: 'Each step must tell someone.',
      },
    ]);
  });

  it('is the national default until one is stored; a stored one keeps the step names', () => {
    expect(escalationPolicyFor('cq-gecheng', undefined)).toBe(defaultEscalationPolicy);
    const edited = escalationPolicyFor('cq-gecheng', storedLadder([-3, 2, 9, 16, 32]));
    expect(edited.ladder.map((rung) => [rung.step, rung.offsetDays, rung.name.zh])).toEqual([
      ['reminder', -3, '到期提醒'],
      ['notice_letter', 2, '函告'],
      ['circular', 9, '通报'],
      ['summons', 16, '约谈'],
      ['public_exposure', 32, '曝光、挂牌督办'],
    ]);
    expect(edited.version).toBe('cq-gecheng-1');
    expect(escalationLadderView('cq-gecheng', undefined)).toMatchObject({
      version: 0,
      source: 'national_default',
    });
  });
});

describe('changing a ladder while a round runs (RULES.md: a step that fired never fires twice)', () => {
  // Deadline Tue 1 Dec 2026, 24:00 CST; the round began on 20 Nov.
  const round = {
    number: 1,
    deadline: endOfCstDay('2026-12-01'),
    startedAt: new Date('2026-11-20T02:00:00.000Z'),
  };
  const h1SpreadFrom = (at: string) =>
    new Date(Date.parse(at) + spreadOffsetMs('h1', defaultEscalationPolicy)).toISOString();
  const plan = (now: string, recorded: readonly string[], offsets: readonly number[] | null) =>
    planEscalation({
      hazardId: 'h1',
      round,
      recorded: new Set(recorded.map((step) => stepKey('h1', 1, step as 'reminder'))),
      closed: false,
      now: new Date(now),
      policy: offsets
        ? escalationPolicyFor('cq-gecheng', storedLadder(offsets))
        : defaultEscalationPolicy,
      calendar: seedCalendar,
    });

  it('applies the new days to the steps not yet recorded, and never fires a recorded one again', () => {
    // Under the default ladder the reminder and the notice letter have fired by Wed 2 Dec.
    const before = plan('2026-12-02T02:00:00.000Z', [], null);
    expect(before.due.map((step) => step.step)).toEqual(['reminder', 'notice_letter']);
    const fired = ['reminder', 'notice_letter'];
    // The administrator now moves the notice letter to +2 days and the circular to +3.
    const after = plan('2026-12-02T02:00:00.000Z', fired, [-5, 2, 3, 16, 32]);
    expect(after.due).toEqual([]);
    // The circular moved: from Tue 8 Dec 24:00 (+7) to Fri 4 Dec 24:00 (+3) → Mon 7 Dec 09:00
    // (and h1's place in the spread window after it).
    expect(after.nextAt?.toISOString()).toBe(h1SpreadFrom('2026-12-07T01:00:00.000Z'));
    const monday = plan(h1SpreadFrom('2026-12-07T01:00:00.000Z'), fired, [-5, 2, 3, 16, 32]);
    expect(monday.due.map((step) => step.step)).toEqual(['circular']);
    // Moved later instead, the steps still to come wait: nothing at +7 days.
    const later = plan('2026-12-09T02:00:00.000Z', fired, [-3, 0, 10, 16, 32]);
    expect(later.due).toEqual([]);
    // Fri 11 Dec 24:00 → Mon 09:00, spread
    expect(later.nextAt?.toISOString()).toBe(h1SpreadFrom('2026-12-14T01:00:00.000Z'));
  });
});

describe('the policy cache', () => {
  const stored = (years: StoredCalendarYear[] = []): StoredPolicies => ({
    calendarYears: years,
    escalationPolicies: [storedLadder([-3, 2, 9, 16, 32])],
  });

  it('reads the store at most once a minute, shares a read, and reads again after forget', async () => {
    let reads = 0;
    let now = 0;
    let answer = stored();
    const cache = new CachedPolicies({
      read: async () => {
        reads += 1;
        return answer;
      },
      now: () => now,
    });
    const [calendar, ladder, other] = await Promise.all([
      cache.calendar(),
      cache.escalationPolicy('cq-gecheng'),
      cache.escalationPolicy('fj-xiamen-xiangan'),
    ]);
    expect(reads).toBe(1);
    expect(calendar.years['2027']).toBeUndefined();
    expect(ladder.ladder[1]?.offsetDays).toBe(2);
    expect(other).toBe(defaultEscalationPolicy);
    answer = stored([made2027]);
    now = 59_000;
    expect((await cache.calendar()).years['2027']).toBeUndefined();
    now = 61_000;
    expect((await cache.calendar()).years['2027']).toBeDefined();
    expect(reads).toBe(2);
    cache.forget();
    await cache.calendar();
    expect(reads).toBe(3);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const cache = new CachedPolicies({
      read: async () => {
        if (fail) throw new Error('table unavailable');
        return stored();
      },
    });
    await expect(cache.calendar()).rejects.toThrow('table unavailable');
    fail = false;
    expect((await cache.escalationPolicy('cq-gecheng')).version).toBe('cq-gecheng-1');
  });
});

describe("a jurisdiction's contact lists as an administrator enters them", () => {
  const wecom = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1';

  it('accepts the lists of some recipients, normalises mobiles, and leaves the others empty', () => {
    const result = validate(updateJurisdictionContactsSchema, {
      contacts: {
        leader_in_charge: [{ kind: 'sms', phone: '+86 139 0013 9000' }],
        jurisdiction_departments: [{ kind: 'wecom', url: wecom }],
      },
      expectedVersion: 0,
    });
    expect(result.success && result.data).toEqual({
      contacts: {
        assigned_officer: [],
        jurisdiction_departments: [{ kind: 'wecom', url: wecom }],
        department_head: [],
        leader_in_charge: [{ kind: 'sms', phone: '13900139000' }],
        principal_leader: [],
        reward_officer: [],
      },
      expectedVersion: 0,
    });
  });

  it("refuses, in both languages and saying where, a bad mobile, an http robot, a contact twice, an enterprise's people", () => {
    const issues = issuesOf(
      validate(updateJurisdictionContactsSchema, {
        contacts: {
          leader_in_charge: [
            { kind: 'sms', phone: '139 0013 9000' },
            { kind: 'sms', phone: '13900139000' },
          ],
          department_head: [{ kind: 'sms', phone: '12345' }],
          jurisdiction_departments: [{ kind: 'wecom', url: wecom.replace('https', 'http') }],
          enterprise_principal: [{ kind: 'sms', phone: '13800138000' }],
        },
        expectedVersion: 0,
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'contacts.leader_in_charge',
          zh: '同一联系方式列了两次。',
          en: 'A contact is listed twice.',
        },
        {
          path: 'contacts.department_head.0.phone',
          zh: '须为 11 位中国大陆手机号码。',
          en: 'This must be a mainland mobile number (11 digits).',
        },
        {
          path: 'contacts.jurisdiction_departments.0.url',
          zh: expect.stringContaining('https://'),
          en: expect.stringContaining('https:// webhook URL'),
        },
        {
          path: 'contacts',
          zh: expect.stringContaining('企业档案'),
          en: expect.stringContaining('enterprise register'),
        },
      ]),
    );
    expect(issues).toHaveLength(4);
    // The values are personal data: a refusal never repeats them.
    expect(JSON.stringify(issues)).not.toMatch(/12345|qyapi/);
  });

  it('refuses more than ten contacts for one recipient, and an edit without its version', () => {
    const many = Array.from({ length: 11 }, (_, index) => ({
      kind: 'email',
      address: `duty${index}@example.gov.cn`,
    }));
    const issues = issuesOf(
      validate(updateJurisdictionContactsSchema, { contacts: { principal_leader: many } }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'contacts.principal_leader',
          zh: '每个接收方最多 10 个联系方式。',
          en: 'At most 10 contacts per recipient.',
        },
        expect.objectContaining({ path: 'expectedVersion' }),
      ]),
    );
  });

  it('says whose lists an edit changed, and shows nobody on file until one is stored', () => {
    const none = {
      assigned_officer: [],
      jurisdiction_departments: [],
      department_head: [],
      leader_in_charge: [],
      principal_leader: [],
      reward_officer: [],
    };
    const first = { ...none, leader_in_charge: [{ kind: 'sms' as const, phone: '13900139000' }] };
    expect(changedRecipients(undefined, first)).toEqual(['leader_in_charge']);
    expect(changedRecipients(first, first)).toEqual([]);
    expect(
      changedRecipients(first, {
        ...first,
        principal_leader: [{ kind: 'email', address: 'li@example.gov.cn' }],
      }),
    ).toEqual(['principal_leader']);
    expect(jurisdictionContactsView('cq-gecheng', undefined)).toEqual({
      jurisdiction: 'cq-gecheng',
      contacts: none,
      version: 0,
      edits: [],
    });
    const view = jurisdictionContactsView('cq-gecheng', {
      jurisdiction: 'cq-gecheng',
      contacts: first,
      version: 1,
      updatedAt: '2026-12-01T02:00:00.000Z',
      updatedBy: by,
      edits: [{ version: 1, at: '2026-12-01T02:00:00.000Z', by, changed: ['leader_in_charge'] }],
    });
    // Only the name of who edited is shown, never the user id.
    expect(view).toMatchObject({ version: 1, updatedBy: '金鑫' });
    expect(view.edits).toEqual([
      { version: 1, at: '2026-12-01T02:00:00.000Z', by: '金鑫', changed: ['leader_in_charge'] },
    ]);
    expect(JSON.stringify(view)).not.toContain(by.userId);
  });
});
