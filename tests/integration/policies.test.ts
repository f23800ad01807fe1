import {
  defaultEscalationPolicy,
  type EscalationPolicy,
  spreadOffsetMs,
} from '@qingling/shared/hazards/escalation.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { callApi, startTestCloud } from '../support/embedded-cloud.ts';
import { recordHazardWithDeadline } from '../support/hazards.ts';
import { validTip } from '../support/tips.ts';

// Policies are data (DESIGN.md, principle 5): an administrator enters the holiday calendar
// of a year and edits a jurisdiction's escalation ladder through the API of the embedded
// cloud, and the health warnings, the deadlines in working days and the hazard lifecycle
// (the lifecycle ASL, run by the embedded cloud's conductor) follow what was entered.

// TEST DATA, NOT THE OFFICIAL 2027 CALENDAR: a plausible Spring Festival made up for this
// test (2027-02-06..12 off, Saturdays 13 and 20 February at work). Enter the real one from
// the State Council General Office's notice when it is published.
const madeUp2027 = {
  holidays: [
    '2027-01-01',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-02-12',
  ],
  workdays: ['2027-02-13', '2027-02-20'],
};

const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
const clock = new ManualClock('2026-11-20T02:00:00.000Z'); // Fri 10:00 CST, 42 days before 2027
let cloud: Awaited<ReturnType<typeof startTestCloud>>;

beforeAll(async () => {
  cloud = await startTestCloud({ clock, publicRequestsPerMinute: 100_000 });
});
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const call = (method: string, path: string, as: string | null, body?: unknown) =>
  callApi(cloud.url, method, path, as, body);

const policies = async (as = `${own}.administrator`) => {
  const reply = await call('GET', '/api/admin/policies', as);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
};
const yearOf = async (year: number) =>
  (await policies()).calendar.years.find((entry: { year: number }) => entry.year === year);
const ladderOf = async (jurisdiction: string) =>
  (await policies(`${jurisdiction}.administrator`)).escalation.find(
    (entry: { jurisdiction: string }) => entry.jurisdiction === jurisdiction,
  );

const defaultRungs = [
  {
    step: 'reminder',
    offsetDays: -3,
    urgent: false,
    recipients: ['enterprise_principal', 'assigned_officer'],
  },
  {
    step: 'notice_letter',
    offsetDays: 0,
    urgent: false,
    recipients: ['enterprise_principal', 'enterprise_controller'],
  },
  {
    step: 'circular',
    offsetDays: 7,
    urgent: false,
    recipients: ['jurisdiction_departments', 'department_head'],
  },
  { step: 'summons', offsetDays: 14, urgent: true, recipients: ['leader_in_charge'] },
  {
    step: 'public_exposure',
    offsetDays: 30,
    urgent: true,
    recipients: ['principal_leader', 'public_page'],
  },
];
const ladderBody = (offsets: readonly number[], expectedVersion: number) => ({
  ladder: defaultRungs.map((rung, index) => ({ ...rung, offsetDays: offsets[index] })),
  officeHours: { startHour: 9, endHour: 18 },
  lateAfterMinutes: 15,
  expectedVersion,
});
const putLadder = (
  jurisdiction: string,
  body: unknown,
  as: string | null = `${jurisdiction}.administrator`,
) => call('PUT', `/api/admin/jurisdictions/${jurisdiction}/escalation-policy`, as, body);

async function advanceTo(instant: string) {
  clock.set(instant);
  cloud.conductor.tick();
  await cloud.conductor.settled();
}

/**
 * From an office moment, each hazard's place in the spread window (escalation.ts), then a
 * few minutes for its wake-up: the clock stops at each in turn, so no step is recorded late.
 */
async function advancePastSpread(
  officeMoment: string,
  hazardIds: readonly string[],
  policy: Pick<EscalationPolicy, 'spreadMinutes' | 'officeHours'> = defaultEscalationPolicy,
) {
  const stops = hazardIds
    .map((id) => Date.parse(officeMoment) + spreadOffsetMs(id, policy) + 5 * 60_000)
    .sort((a, b) => a - b);
  for (const stop of stops) {
    if (stop > clock.now().getTime()) await advanceTo(new Date(stop).toISOString());
  }
}

/** The ladder's steps on the hazard's record, in order: `step` or `step (late)`. */
async function stepsOf(jurisdiction: string, hazardId: string) {
  const reply = await call('GET', `/api/office/hazards/${hazardId}`, `${jurisdiction}.officer`);
  if (reply.status !== 200) throw new Error(JSON.stringify(reply));
  return (reply.body.timeline as { type: string; data: { step: string; late: boolean } }[])
    .filter((event) => event.type === 'escalation_step_recorded')
    .map((event) => `${event.data.step}${event.data.late ? ' (late)' : ''}`);
}

/** When the log says a recorded step was due. */
async function dueAtOf(jurisdiction: string, hazardId: string, step: string) {
  const reply = await call('GET', `/api/office/hazards/${hazardId}`, `${jurisdiction}.officer`);
  return (reply.body.timeline as { type: string; data: { step: string; dueAt: string } }[]).find(
    (event) => event.type === 'escalation_step_recorded' && event.data.step === step,
  )?.data.dueAt;
}

describe('the holiday calendar, year by year', () => {
  it('warns that 2027 has no calendar, until an administrator enters it', async () => {
    const before = await call('GET', '/api/health', null);
    expect(before.body.warnings.map((warning: { year: number }) => warning.year)).toEqual([2027]);
    const read = await policies(`${own}.officer`);
    expect(
      read.calendar.years.map(({ year, source, version }: Record<string, unknown>) => ({
        year,
        source,
        version,
      })),
    ).toEqual([
      { year: 2024, source: 'seed', version: 0 },
      { year: 2025, source: 'seed', version: 0 },
      { year: 2026, source: 'seed', version: 0 },
    ]);
    expect(read.calendar.warnings).toHaveLength(1);

    const put = await call('PUT', '/api/admin/calendar/2027', `${own}.administrator`, {
      // As typed: out of order, one date twice, full-width digits.
      holidays: [...madeUp2027.holidays].reverse().concat('２０２７-０２-０８'),
      workdays: madeUp2027.workdays,
      expectedVersion: 0,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      year: 2027,
      ...madeUp2027,
      version: 1,
      source: 'administrator',
      updatedBy: expect.any(String),
    });

    const after = await call('GET', '/api/health', null);
    expect(after.status).toBe(200);
    expect(after.body.warnings).toEqual([]);
    expect(await yearOf(2027)).toMatchObject({ ...madeUp2027, version: 1 });
    expect((await policies()).calendar.warnings).toEqual([]);
  });

  it('refuses an edit by anyone but an administrator (403), and anonymous callers (401)', async () => {
    const body = { holidays: ['2027-01-01'], workdays: [], expectedVersion: 1 };
    for (const role of ['officer', 'department_head', 'principal_leader', 'reward_officer']) {
      const reply = await call('PUT', '/api/admin/calendar/2027', `${own}.${role}`, body);
      expect(reply.status, role).toBe(403);
    }
    expect((await call('PUT', '/api/admin/calendar/2027', null, body)).status).toBe(401);
    expect((await call('GET', '/api/admin/policies', `${own}.reward_officer`)).status).toBe(403);
    expect(await yearOf(2027)).toMatchObject({ ...madeUp2027, version: 1 });
  });

  it('answers a stale version with 409 and the year as it is now, and changes nothing', async () => {
    const reply = await call('PUT', '/api/admin/calendar/2027', `${other}.administrator`, {
      holidays: ['2027-01-01'],
      workdays: [],
      expectedVersion: 0,
    });
    expect(reply.status).toBe(409);
    expect(reply.body.error.current).toMatchObject({ year: 2027, version: 1, ...madeUp2027 });
    expect(await yearOf(2027)).toMatchObject({ ...madeUp2027, version: 1 });
  });

  it('refuses a version beyond any real count (2^53 − 1, found by fuzzing) with 400, not 500', async () => {
    const reply = await call('PUT', '/api/admin/calendar/2027', `${other}.administrator`, {
      holidays: ['2027-01-01'],
      workdays: [],
      expectedVersion: Number.MAX_SAFE_INTEGER,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('invalid_request');
    expect(await yearOf(2027)).toMatchObject({ ...madeUp2027, version: 1 });
  });

  it('refuses, in both languages, a date outside the year and a date in both lists, and changes nothing', async () => {
    const outside = await call('PUT', '/api/admin/calendar/2027', `${own}.administrator`, {
      holidays: [...madeUp2027.holidays, '2028-01-01'],
      workdays: madeUp2027.workdays,
      expectedVersion: 1,
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.issues).toEqual([
      {
        path: 'holidays',
        message: {
          zh: '2028-01-01 不在 2027 年内：每年的安排单独录入。',
          en: "2028-01-01 is not in 2027: each year's calendar is entered on its own.",
        },
      },
    ]);
    const both = await call('PUT', '/api/admin/calendar/2027', `${own}.administrator`, {
      holidays: madeUp2027.holidays,
      workdays: ['2027-02-13', '2027-02-07'],
      expectedVersion: 1,
    });
    expect(both.status).toBe(400);
    expect(both.body.error.issues).toEqual([
      {
        path: 'workdays',
        message: {
          zh: '2027-02-07 不能既是放假日又是调休上班日。',
          en: '2027-02-07 cannot be both a day off and a make-up working day.',
        },
      },
    ]);
    expect(both.body.error.message.zh).toBeTruthy();
    expect(await yearOf(2027)).toMatchObject({ ...madeUp2027, version: 1 });
    // A year that is not a year is not a route.
    const nonsense = await call('PUT', '/api/admin/calendar/27', `${own}.administrator`, {
      holidays: [],
      workdays: [],
      expectedVersion: 0,
    });
    expect(nonsense.status).toBe(404);
  });
});

describe("a jurisdiction's escalation ladder", () => {
  it('is the national default until edited; officers read it, only its administrators edit it', async () => {
    expect(await ladderOf(own)).toMatchObject({
      jurisdiction: own,
      version: 0,
      source: 'national_default',
      ladder: defaultRungs,
    });
    // Each caller reads the ladders of their own jurisdictions only.
    const read = await policies(`${own}.officer`);
    expect(read.escalation.map((entry: { jurisdiction: string }) => entry.jurisdiction)).toEqual([
      own,
    ]);
    const edit = ladderBody([-3, 2, 9, 16, 32], 0);
    expect((await putLadder(own, edit, `${own}.officer`)).status).toBe(403);
    expect((await putLadder(own, edit, `${own}.leader_in_charge`)).status).toBe(403);
    expect((await putLadder(own, edit, `${other}.administrator`)).status).toBe(403);
    expect((await putLadder(own, edit, null)).status).toBe(401);
    expect(await ladderOf(own)).toMatchObject({ version: 0, source: 'national_default' });
  });

  it('refuses, in both languages, offsets that do not increase, steps out of order and office hours that end before they start; nothing changes', async () => {
    const flat = await putLadder(own, ladderBody([-3, 2, 2, 16, 32], 0));
    expect(flat.status).toBe(400);
    expect(flat.body.error.issues).toEqual([
      {
        path: 'ladder.2.offsetDays',
        message: {
          zh: '“通报”的天数（2）须晚于上一步“函告”（2）。',
          en: 'The circular (2 days) must come after the notice letter (2 days).',
        },
      },
    ]);
    const body = ladderBody([-3, 0, 7, 14, 30], 0);
    const [reminder, notice, ...rest] = body.ladder;
    const swapped = [{ ...notice, offsetDays: -3 }, { ...reminder, offsetDays: 0 }, ...rest];
    const order = await putLadder(own, { ...body, ladder: swapped });
    expect(order.status).toBe(400);
    expect(order.body.error.issues[0]).toEqual({
      path: 'ladder.0.step',
      message: {
        zh: expect.stringContaining('第 1 步应为“到期提醒”'),
        en: expect.stringContaining('Step 1 must be the reminder'),
      },
    });
    const hours = await putLadder(own, {
      ...ladderBody([-3, 0, 7, 14, 30], 0),
      officeHours: { startHour: 18, endHour: 18 },
    });
    expect(hours.status).toBe(400);
    expect(hours.body.error.issues[0].message.zh).toContain('办公时间的开始须早于结束');
    expect(await ladderOf(own)).toMatchObject({ version: 0, source: 'national_default' });
  });

  it("drives the lifecycle of the jurisdiction's hazards: a notice letter at +2 days; the other jurisdiction keeps the default", async () => {
    const edited = await putLadder(own, ladderBody([-3, 2, 9, 16, 32], 0));
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ version: 1, source: 'administrator' });
    expect(edited.body.ladder[1]).toMatchObject({
      step: 'notice_letter',
      offsetDays: 2,
      name: { zh: '函告' },
    });
    // A stale edit (the version seen was the default's) loses and changes nothing.
    const stale = await putLadder(own, ladderBody([-3, 0, 7, 14, 30], 0));
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ version: 1 });
    expect((await ladderOf(own)).ladder[1].offsetDays).toBe(2);

    // Both hazards due Tue 1 Dec 2026 (24:00 CST): run by the lifecycle ASL on the conductor.
    // The clock stops a few minutes after each step's time (later, a step is marked late):
    // 09:00 CST and each hazard's place in the spread window after it.
    const mine = await recordHazardWithDeadline(cloud, own, { date: '2026-12-01' });
    const theirs = await recordHazardWithDeadline(cloud, other, { date: '2026-12-01' });
    const both = [mine.hazardId, theirs.hazardId];
    await advancePastSpread('2026-11-30T01:00:00.000Z', both); // Mon: 3 days before (a Sunday)
    expect(await stepsOf(own, mine.hazardId)).toEqual(['reminder']);
    expect(await stepsOf(other, theirs.hazardId)).toEqual(['reminder']);
    await advancePastSpread('2026-12-02T01:00:00.000Z', both); // Wed, the day after the deadline
    expect(await stepsOf(other, theirs.hazardId)).toEqual(['reminder', 'notice_letter']);
    expect(await stepsOf(own, mine.hazardId)).toEqual(['reminder']);
    await advancePastSpread('2026-12-04T01:00:00.000Z', both); // Fri: +2 days
    expect(await stepsOf(own, mine.hazardId)).toEqual(['reminder', 'notice_letter']);

    // Changed again mid-round: the circular moves from +9 to +3 (Mon 7 Dec 09:00), the
    // notice letter back to 0, and no spread here. The steps that fired never fire again;
    // the rest follow the new days, once. (The edit wakes the jurisdiction's lifecycles: this
    // one was asleep until the old +9, Fri 11 Dec.)
    const again = await putLadder(own, { ...ladderBody([-3, 0, 3, 16, 32], 1), spreadMinutes: 0 });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.spreadMinutes).toBe(0);
    await cloud.conductor.settled();
    expect(await stepsOf(own, mine.hazardId)).toEqual(['reminder', 'notice_letter']);
    await advanceTo('2026-12-07T01:05:00.000Z');
    expect(await stepsOf(own, mine.hazardId)).toEqual(['reminder', 'notice_letter', 'circular']);
    expect(await dueAtOf(own, mine.hazardId, 'circular')).toBe('2026-12-07T01:00:00.000Z');
    expect(await stepsOf(other, theirs.hazardId)).toEqual(['reminder', 'notice_letter']);
    await advancePastSpread('2026-12-09T01:00:00.000Z', both); // Wed: +7 for the default ladder
    // The other jurisdiction keeps the default window: its hazard's own instant after 09:00.
    expect(await dueAtOf(other, theirs.hazardId, 'circular')).toBe(
      new Date(
        Date.parse('2026-12-09T01:00:00.000Z') +
          spreadOffsetMs(theirs.hazardId, defaultEscalationPolicy),
      ).toISOString(),
    );
    expect(await stepsOf(own, mine.hazardId)).toEqual(['reminder', 'notice_letter', 'circular']);
    expect(await stepsOf(other, theirs.hazardId)).toEqual([
      'reminder',
      'notice_letter',
      'circular',
    ]);
  });
});

describe('deadlines in working days follow the calendar in force', () => {
  it("counts the entered 2027 Spring Festival: a tip's acceptance and a rectification of 3 working days", async () => {
    // Fri 5 Feb 2027, 10:00 CST. Mon–Fri alone would give Wed 10 Feb; with the entered
    // calendar the three working days are Sat 13, Mon 15 and Tue 16 February.
    clock.set('2027-02-05T02:00:00.000Z');
    const tip = await call('POST', '/api/tips', null, validTip({ jurisdiction: own }));
    expect(tip.status, JSON.stringify(tip.body)).toBe(201);
    const inbox = await call(
      'GET',
      `/api/office/tips?jurisdiction=${own}&status=received`,
      `${own}.officer`,
    );
    expect(inbox.status, JSON.stringify(inbox.body)).toBe(200);
    const received = inbox.body.tips.find(
      (entry: { receivedAt: string }) => entry.receivedAt === '2027-02-05T02:00:00.000Z',
    );
    expect(received?.acceptDeadline).toBe('2027-02-16T16:00:00.000Z');
    const hazard = await recordHazardWithDeadline(cloud, own, { workingDays: 3 });
    expect(hazard.deadline).toBe('2027-02-16T16:00:00.000Z');
  });
});
