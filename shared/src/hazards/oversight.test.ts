import { describe, expect, it } from 'vitest';
import { seedCalendar } from '../calendar/calendar.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { commandRoles, giveCommand, type HazardCommand, recordHazard } from './commands.ts';
import { defaultEscalationPolicy } from './escalation.ts';
import {
  type ExposureList,
  exposedHazards,
  exposedHazardView,
  exposureSortKey,
  listIfExposed,
} from './exposure.ts';
import { type HazardState, hazardProjection, hazardStream, LifecycleViolation } from './hazard.ts';
import { defaultLookBackPolicy } from './look-back.ts';
import { hazardDetailSchema } from './schemas.ts';
import { hazardDetail } from './views.ts';

const leader = { kind: 'person' as const, id: 'demo:leader', name: '杨帆' };

/** A hazard on an in-memory log with a hand-set clock: commands as the console gives them. */
function world(grade: 'general' | 'major' = 'major') {
  const now = new Date('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
  const events = new MemoryEventStore();
  const deps = {
    events,
    clock: { now: () => new Date(now) },
    calendar: seedCalendar,
    policy: defaultEscalationPolicy,
    lookBack: { ...defaultLookBackPolicy, generalSampleRate: 0 },
    workflow: { wake: async () => {} },
  };
  let keys = 0;
  const give = (command: HazardCommand, extra: { enterpriseName?: string } = {}) => {
    keys += 1;
    return giveCommand(deps, {
      hazardId: 'h1',
      command,
      actor: leader,
      idempotencyKey: `k${keys}`,
      ...extra,
    });
  };
  return {
    events,
    give,
    record: () =>
      recordHazard(deps, {
        facts: {
          hazardId: 'h1',
          source: 'tip',
          tipId: 'tipsecretid',
          jurisdiction: 'cq-gecheng',
          industry: 'fire',
          enterprise: '91350100M000100Y43',
          place: '东门路 18 号仓库',
          grade,
          ...(grade === 'major' ? { standard: { ref: 'GB 35181-2025', clause: '5.1.1' } } : {}),
          description: '仓库安全出口被货物堵死。',
        },
        actor: { kind: 'person', id: 'officer' },
      }),
    rectify: () =>
      give({
        type: 'start_rectification',
        responsible: '王某',
        measures: '搬离货物，恢复疏散通道',
        deadline: { date: '2026-12-20' },
        plan: {
          goalAndTasks: '清理安全出口',
          methodsAndMeasures: '搬离货物',
          fundsAndMaterials: '企业自筹',
          responsibleBodyAndPeople: '安全科',
          deadlineAndRequirements: '12 月 20 日前',
          safetyAndEmergencyMeasures: '专人值守',
        },
      }),
    state: async () => (await events.load(hazardStream('h1'), hazardProjection))?.state,
  };
}

const refusedWith = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(LifecycleViolation);
  return (error as LifecycleViolation).text;
};

const summons = {
  type: 'record_summons',
  attendees: '企业主要负责人张某、安全科长王某',
  agreed: '十日内清空通道，每周报送进展',
  nextDate: '2026-12-15',
} as const;

describe("leaders' decisions on a hazard", () => {
  it('are given by leaders only: summons by either leader, listing and exposure by the principal', () => {
    expect(commandRoles.record_summons).toEqual(['leader_in_charge', 'principal_leader']);
    for (const type of [
      'place_listed_supervision',
      'lift_listed_supervision',
      'approve_exposure',
      'withdraw_exposure',
    ] as const) {
      expect(commandRoles[type]).toEqual(['principal_leader']);
    }
    // And no leader closes a hazard or starts its rectification.
    expect(commandRoles.close).not.toContain('principal_leader');
    expect(commandRoles.start_rectification).not.toContain('leader_in_charge');
  });

  it('record a summons with who attended, what was agreed and the next date', async () => {
    const w = world();
    await w.record();
    const outcome = await w.give(summons);
    expect(outcome.kind).toBe('done');
    const state = await w.state();
    expect(state?.summonses).toEqual([
      {
        at: '2026-12-08T02:00:00.000Z',
        by: '杨帆',
        attendees: summons.attendees,
        agreed: summons.agreed,
        nextDate: '2026-12-15',
      },
    ]);
    expect(state?.revision).toBe(2);
  });

  it('refuse a summons whose next date has passed, in both languages, writing nothing', async () => {
    const w = world();
    await w.record();
    const text = await refusedWith(w.give({ ...summons, nextDate: '2026-12-07' }));
    expect(text.zh).toContain('已过');
    expect(text.en).toContain('has passed');
    expect((await w.events.read(hazardStream('h1'))).length).toBe(1);
  });

  it('place and lift listed supervision on a major hazard, once at a time', async () => {
    const w = world();
    await w.record();
    const place = {
      type: 'place_listed_supervision',
      documentNumber: '歌城安委督〔2026〕3号',
      reason: '逾期 30 日未整改',
    } as const;
    expect((await w.give(place)).kind).toBe('done');
    expect((await w.state())?.listedSupervision).toMatchObject({
      documentNumber: '歌城安委督〔2026〕3号',
      by: '杨帆',
    });
    const again = await refusedWith(w.give(place));
    expect(again.en).toBe('The hazard is already under listed supervision.');
    await w.give({
      type: 'lift_listed_supervision',
      documentNumber: '销〔2026〕1号',
      reason: '已整改',
    });
    expect((await w.state())?.listedSupervision).toBeUndefined();
    const lifted = await refusedWith(
      w.give({ type: 'lift_listed_supervision', documentNumber: '销〔2026〕2号', reason: '再次' }),
    );
    expect(lifted.zh).toBe('该隐患未挂牌督办。');
  });

  it('refuse listed supervision of a general hazard', async () => {
    const w = world('general');
    await w.record();
    const text = await refusedWith(
      w.give({ type: 'place_listed_supervision', documentNumber: '督〔2026〕1号', reason: '逾期' }),
    );
    expect(text).toEqual({
      zh: '挂牌督办只适用于重大事故隐患。',
      en: 'Listed supervision is for major hazards only.',
    });
  });

  it('refuse exposure before rectification started (nothing to say what must be done)', async () => {
    const w = world();
    await w.record();
    const text = await refusedWith(
      w.give({ type: 'approve_exposure', documentNumber: '曝〔2026〕1号', reason: '逾期' }),
    );
    expect(text.en).toContain('reported');
    expect((await w.state())?.exposure).toBeUndefined();
  });

  it('approve exposure once, keep the enterprise name given, and withdraw it', async () => {
    const w = world();
    await w.record();
    await w.rectify();
    const approve = { type: 'approve_exposure', documentNumber: '曝〔2026〕1号', reason: '逾期' };
    await w.give(approve as HazardCommand, { enterpriseName: '歌城物流有限公司' });
    expect((await w.state())?.exposure).toEqual({
      documentNumber: '曝〔2026〕1号',
      reason: '逾期',
      approvedAt: '2026-12-08T02:00:00.000Z',
      enterpriseName: '歌城物流有限公司',
    });
    const twice = await refusedWith(w.give(approve as HazardCommand));
    expect(twice.zh).toBe('该隐患已批准曝光。');
    await w.give({ type: 'withdraw_exposure', reason: '已整改到位' });
    expect((await w.state())?.exposure).toBeUndefined();
    const withdrawn = await refusedWith(w.give({ type: 'withdraw_exposure', reason: '再次' }));
    expect(withdrawn.en).toBe('The hazard is not exposed.');
  });

  it('are on the hazard page and its timeline, valid against the API schema', async () => {
    const w = world();
    await w.record();
    await w.rectify();
    await w.give(summons);
    await w.give({ type: 'approve_exposure', documentNumber: '曝〔2026〕1号', reason: '逾期' });
    const state = (await w.state()) as HazardState;
    const events = await w.events.read(hazardStream('h1'));
    const detail = hazardDetail(state, events, { valid: true, head: 'x' });
    expect(() => hazardDetailSchema.parse(detail)).not.toThrow();
    expect(detail.hazard.exposure?.documentNumber).toBe('曝〔2026〕1号');
    expect(detail.timeline.map((entry) => entry.type)).toContain('summons_held');
    expect(detail.timeline.map((entry) => entry.type)).toContain('exposure_approved');
  });
});

class MemoryExposureList implements ExposureList {
  readonly entries = new Map<string, { jurisdiction: string; sortKey: string; hazardId: string }>();
  async add(entry: { jurisdiction: string; sortKey: string; hazardId: string }) {
    this.entries.set(`${entry.jurisdiction}|${entry.sortKey}`, entry);
  }
  /** Newest first, `limit` at a time; the cursor is the position to read on from. */
  async page(query: { jurisdiction: string; limit: number; cursor?: string }) {
    const all = [...this.entries.values()]
      .filter((entry) => entry.jurisdiction === query.jurisdiction)
      .sort((a, b) => b.sortKey.localeCompare(a.sortKey));
    const from = Number(query.cursor ?? 0);
    const to = from + query.limit;
    return {
      hazardIds: all.slice(from, to).map((entry) => entry.hazardId),
      ...(to < all.length ? { nextCursor: String(to) } : {}),
    };
  }
}

describe('the public exposure list', () => {
  it('shows only what the public may read: no tip, no officer, no hazard id', async () => {
    const w = world();
    await w.record();
    await w.rectify();
    await w.give(
      { type: 'approve_exposure', documentNumber: '曝〔2026〕1号', reason: '逾期' },
      { enterpriseName: '歌城物流有限公司' },
    );
    const state = (await w.state()) as HazardState;
    const view = exposedHazardView(state);
    expect(Object.keys(view).sort()).toEqual(
      [
        'jurisdiction',
        'enterpriseName',
        'place',
        'grade',
        'industry',
        'description',
        'foundOn',
        'measures',
        'deadline',
        'status',
        'exposedAt',
        'documentNumber',
      ].sort(),
    );
    const json = JSON.stringify(view);
    for (const secret of ['tipsecretid', 'h1', 'officer', '王某', 'tip']) {
      expect(json).not.toContain(secret);
    }
  });

  it('lists a hazard once however often it is listed, and drops it when withdrawn', async () => {
    const w = world();
    await w.record();
    await w.rectify();
    const list = new MemoryExposureList();
    await w.give({ type: 'approve_exposure', documentNumber: '曝〔2026〕1号', reason: '逾期' });
    const exposed = (await w.state()) as HazardState;
    await listIfExposed(list, exposed);
    await listIfExposed(list, exposed);
    expect([...list.entries.keys()]).toEqual([`cq-gecheng|${exposureSortKey(exposed)}`]);
    const shown = await exposedHazards(
      { list, events: w.events },
      { jurisdiction: 'cq-gecheng', limit: 20 },
    );
    expect(shown.hazards.map((hazard) => hazard.documentNumber)).toEqual(['曝〔2026〕1号']);
    await w.give({ type: 'withdraw_exposure', reason: '已整改' });
    const after = await exposedHazards(
      { list, events: w.events },
      { jurisdiction: 'cq-gecheng', limit: 20 },
    );
    expect(after.hazards).toEqual([]);
    // Not listed in another jurisdiction's page.
    expect(
      (await exposedHazards({ list, events: w.events }, { jurisdiction: 'xm-siming', limit: 20 }))
        .hazards,
    ).toEqual([]);
  });

  it('reads past withdrawn listings, so that a page is never empty while more are exposed', async () => {
    const list = new MemoryExposureList();
    const events = new MemoryEventStore();
    const deps = {
      events,
      clock: { now: () => new Date('2026-12-08T02:00:00.000Z') },
      calendar: seedCalendar,
      policy: defaultEscalationPolicy,
      lookBack: defaultLookBackPolicy,
      workflow: { wake: async () => {} },
    };
    const give = async (hazardId: string, command: HazardCommand) => {
      const outcome = await giveCommand(deps, {
        hazardId,
        command,
        actor: leader,
        idempotencyKey: `${hazardId}-${command.type}`,
      });
      if (outcome.kind !== 'done') throw new Error(outcome.kind);
      await listIfExposed(list, outcome.snapshot.state);
    };
    // Three exposed, the two newest then withdrawn: a page of one reads on to the third.
    for (const [index, hazardId] of ['a1', 'a2', 'a3'].entries()) {
      deps.clock.now = () => new Date(`2026-12-0${index + 1}T02:00:00.000Z`);
      await recordHazard(deps, {
        facts: {
          hazardId,
          source: 'inspection',
          jurisdiction: 'cq-gecheng',
          industry: 'fire',
          enterprise: '91350100M000100Y43',
          place: `${hazardId} 号仓库`,
          grade: 'general',
          description: '安全出口被堵。',
        },
        actor: { kind: 'person', id: 'officer' },
      });
      await give(hazardId, {
        type: 'start_rectification',
        responsible: '王某',
        measures: '清理',
        deadline: { date: '2026-12-20' },
      });
      await give(hazardId, {
        type: 'approve_exposure',
        documentNumber: `曝${index}号`,
        reason: '逾期',
      });
    }
    await give('a2', { type: 'withdraw_exposure', reason: '已整改' });
    await give('a3', { type: 'withdraw_exposure', reason: '已整改' });
    const first = await exposedHazards({ list, events }, { jurisdiction: 'cq-gecheng', limit: 1 });
    expect(first.hazards.map((hazard) => hazard.place)).toEqual(['a1 号仓库']);
    expect(first.nextCursor).toBeUndefined();
  });
});
