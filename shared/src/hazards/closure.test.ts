import { describe, expect, it } from 'vitest';
import type { Role } from '../auth/principal.ts';
import { seedCalendar } from '../calendar/calendar.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { closureView, mayClose, supervisingDepartment } from './closure.ts';
import { giveCommand, type HazardCommand, recordHazard } from './commands.ts';
import { defaultEscalationPolicy, type EscalationPolicy } from './escalation.ts';
import { type HazardGrade, hazardProjection, hazardStream, LifecycleViolation } from './hazard.ts';
import { defaultLookBackPolicy } from './look-back.ts';

const plan = {
  goalAndTasks: '清理安全出口',
  methodsAndMeasures: '搬离货物',
  fundsAndMaterials: '企业自筹',
  responsibleBodyAndPeople: '企业安全科',
  deadlineAndRequirements: '12 月 31 日前',
  safetyAndEmergencyMeasures: '专人值守',
};

interface Person {
  id: string;
  roles: Role[];
}
const officer: Person = { id: 'officer-li', roles: ['officer'] };
const secondOfficer: Person = { id: 'officer-wang', roles: ['officer'] };
const head: Person = { id: 'head-zhao', roles: ['department_head'] };
const officerAndHead: Person = { id: 'li-both', roles: ['officer', 'department_head'] };

/** A hazard of the grade, taken to verified by `verifier`, on an in-memory log. */
async function verifiedHazard(grade: HazardGrade, verifier: Person, policy?: EscalationPolicy) {
  const events = new MemoryEventStore();
  const deps = {
    events,
    clock: { now: () => new Date('2026-12-08T02:00:00.000Z') },
    calendar: seedCalendar,
    policy: policy ?? defaultEscalationPolicy,
    lookBack: { ...defaultLookBackPolicy, generalSampleRate: 0 },
    workflow: { wake: async () => {} },
  };
  const hazardId = `h-${grade}`;
  await recordHazard(deps, {
    facts: {
      hazardId,
      source: 'inspection',
      jurisdiction: 'cq-gecheng',
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place: '东门路 18 号仓库',
      grade,
      ...(grade === 'major' ? { standard: { ref: 'GB 35181-2025', clause: '5.1.1' } } : {}),
      description: '安全出口被堵',
    },
    actor: { kind: 'person', id: officer.id },
  });
  let keys = 0;
  const give = (command: HazardCommand, by: Person, rolesKnown = true) =>
    giveCommand(deps, {
      hazardId,
      command,
      actor: { kind: 'person', id: by.id, name: by.id },
      ...(rolesKnown ? { roles: by.roles } : {}),
      idempotencyKey: `k${++keys}`,
    });
  await give(
    {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理',
      deadline: { date: '2026-12-20' },
      ...(grade === 'major' ? { plan } : {}),
    },
    officer,
  );
  await give({ type: 'submit_evidence', note: '已清理', photoKeys: [] }, officer);
  await give({ type: 'pass_verification', note: '通过', onSite: true }, verifier);
  const state = async () => (await events.load(hazardStream(hazardId), hazardProjection))?.state;
  const log = () => events.read(hazardStream(hazardId));
  return { give, state, log };
}

const close: HazardCommand = { type: 'close', note: '销号' };

describe('closing a major hazard (two-person sign-off)', () => {
  it('refuses its verifier, in both languages, and writes nothing', async () => {
    const hazard = await verifiedHazard('major', officerAndHead);
    const before = await hazard.log();
    const refusal = hazard.give(close, officerAndHead);
    await expect(refusal).rejects.toBeInstanceOf(LifecycleViolation);
    await expect(refusal).rejects.toMatchObject({
      text: {
        zh: expect.stringContaining('核查人以外'),
        en: expect.stringContaining('you verified this hazard'),
      },
    });
    expect(await hazard.log()).toHaveLength(before.length);
    expect((await hazard.state())?.status).toBe('verifying');
  });

  it('refuses an officer who is not the department head, even one who did not verify', async () => {
    const hazard = await verifiedHazard('major', officer);
    await expect(hazard.give(close, secondOfficer)).rejects.toMatchObject({
      text: {
        zh: '重大事故隐患须由科室负责人销号。',
        en: 'A major hazard is closed by the department head.',
      },
    });
    expect((await hazard.state())?.status).toBe('verifying');
  });

  it('refuses a caller whose roles are not known', async () => {
    const hazard = await verifiedHazard('major', officer);
    await expect(hazard.give(close, head, false)).rejects.toBeInstanceOf(LifecycleViolation);
    expect((await hazard.state())?.status).toBe('verifying');
  });

  it('is closed by the department head, who signs off as such', async () => {
    const hazard = await verifiedHazard('major', officer);
    const outcome = await hazard.give(close, head);
    expect(outcome.kind).toBe('done');
    expect((await hazard.state())?.status).toBe('closed');
    const closed = (await hazard.log()).at(-1);
    expect(closed).toMatchObject({
      type: 'hazard_closed',
      actor: { id: head.id },
      data: { signedOffAs: 'department_head' },
    });
  });

  it("follows the jurisdiction's policy for who signs off", async () => {
    // A jurisdiction that lets a second officer sign: still never the verifier.
    const policy: EscalationPolicy = {
      ...defaultEscalationPolicy,
      closure: { majorSignOff: 'officer', source: 'test' },
    };
    const hazard = await verifiedHazard('major', officer, policy);
    await expect(hazard.give(close, head)).rejects.toMatchObject({
      text: { en: 'A major hazard is closed by an officer.' },
    });
    await expect(hazard.give(close, officer)).rejects.toBeInstanceOf(LifecycleViolation);
    const closed = await hazard.give(close, secondOfficer);
    expect(closed.kind).toBe('done');
    expect((await hazard.log()).at(-1)?.data).toMatchObject({ signedOffAs: 'officer' });
  });
});

describe('closing a general hazard', () => {
  it('keeps the rule of before: an officer closes, the verifier included', async () => {
    const hazard = await verifiedHazard('general', officer);
    expect((await hazard.give(close, officer)).kind).toBe('done');
    const closed = (await hazard.log()).at(-1);
    expect(closed?.data).not.toHaveProperty('signedOffAs');
  });

  it('is not closed by a department head who is no officer', async () => {
    const hazard = await verifiedHazard('general', officer);
    await expect(hazard.give(close, head)).rejects.toBeInstanceOf(LifecycleViolation);
  });
});

describe('what the page shows of the sign-off', () => {
  it('says who verified, that sign-off is awaited, and who may close', async () => {
    const hazard = await verifiedHazard('major', officer);
    const state = await hazard.state();
    if (!state) throw new Error('no hazard');
    expect(closureView(state)).toEqual({
      signOffRole: 'department_head',
      secondPerson: true,
      verifiedBy: { id: officer.id, name: officer.id },
      awaitingSignOff: true,
    });
    expect(mayClose(state, officer)).toBe(false);
    expect(mayClose(state, secondOfficer)).toBe(false);
    expect(mayClose(state, head)).toBe(true);
  });

  it('names the supervising department of the industry (管行业必须管安全)', () => {
    expect(supervisingDepartment('fire')).toMatchObject({
      code: 'fire_rescue',
      zh: '消防救援机构',
    });
    expect(supervisingDepartment('coal_mine').code).toBe('mine_safety');
    expect(supervisingDepartment('unknown').code).toBe('emergency_management');
  });
});
