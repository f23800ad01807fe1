import { describe, expect, it } from 'vitest';
import { seedCalendar } from '../calendar/calendar.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import type { Notification, Notifier } from '../ports/outbox.ts';
import { PlannedSnapshots } from '../workflow/turns.ts';
import { giveCommand, type HazardCommand, recordHazard } from './commands.ts';
import { defaultEscalationPolicy } from './escalation.ts';
import {
  checkTransition,
  type HazardFacts,
  type HazardState,
  hazardProjection,
  hazardStream,
  LifecycleViolation,
} from './hazard.ts';
import { type LifecycleDependencies, planTurn, recordDueSteps } from './lifecycle.ts';
import { defaultLookBackPolicy } from './look-back.ts';
import { hazardDetailSchema } from './schemas.ts';
import { hazardDetail, hazardSummary } from './views.ts';

/** A notifier that fails on its first message (a provider outage), then sends. */
class FlakyNotifier implements Notifier {
  readonly sent: Notification[] = [];
  private failures = 1;
  async send(notification: Notification): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('SMS provider unavailable');
    }
    this.sent.push(notification);
  }
}

function world() {
  let now = new Date('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
  const clock = { now: () => new Date(now) };
  const notifier = new FlakyNotifier();
  const deps: LifecycleDependencies = {
    events: new MemoryEventStore(),
    notifier,
    clock,
    policy: defaultEscalationPolicy,
    lookBack: { ...defaultLookBackPolicy, generalSampleRate: 0 },
    calendar: seedCalendar,
  };
  const commands = { ...deps, workflow: { wake: async () => {} } };
  let keys = 0;
  return {
    deps,
    notifier,
    set: (instant: string) => {
      now = new Date(instant);
    },
    record: (hazardId: string, party: Partial<HazardFacts> = {}) =>
      recordHazard(commands, {
        facts: {
          hazardId,
          source: 'inspection',
          jurisdiction: 'cq-gecheng',
          industry: 'fire',
          ...(party.site ? { site: party.site } : { enterprise: '91350100M000100Y43' }),
          place: '东门路 18 号仓库',
          grade: 'general',
          description: '安全出口被堵',
        },
        actor: { kind: 'person', id: 'officer' },
      }),
    decide: async (hazardId: string, command: HazardCommand) => {
      keys += 1;
      const outcome = await giveCommand(commands, {
        hazardId,
        command,
        actor: { kind: 'person', id: 'officer' },
        idempotencyKey: `k${keys}`,
      });
      expect(outcome.kind).toBe('done');
    },
    log: (hazardId: string) => deps.events.read(hazardStream(hazardId)),
    state: async (hazardId: string) =>
      (await deps.events.load(hazardStream(hazardId), hazardProjection))?.state,
  };
}

describe('a step recorded before a close and delivered after it', () => {
  it('is withdrawn on the log, not delivered, and a retry sends nothing', async () => {
    const w = world();
    const hazardId = 'h-withdrawn';
    await w.record(hazardId);
    await w.decide(hazardId, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理出口',
      deadline: { date: '2026-12-10' }, // Thursday
    });
    await w.decide(hazardId, { type: 'submit_evidence', note: '已清理', photoKeys: [] });
    await w.decide(hazardId, { type: 'pass_verification', note: '通过', onSite: true });

    // The reminder is due at once (a deadline two days ahead); its delivery fails.
    expect((await planTurn(w.deps, { hazardId, generation: 1 })).action).toBe('escalate');
    await expect(recordDueSteps(w.deps, { hazardId, generation: 1 })).rejects.toThrow(
      'SMS provider unavailable',
    );
    expect((await w.state(hazardId))?.escalations).toMatchObject([
      { key: `${hazardId}#1#reminder`, delivered: false },
    ]);

    // The officer closes the hazard before the workflow tries again.
    w.set('2026-12-08T03:00:00.000Z');
    await w.decide(hazardId, { type: 'close', note: '销号' });
    const closedAt = w.notifier.sent.length;

    // The next execution (the close woke it) finds the step undelivered.
    expect((await planTurn(w.deps, { hazardId, generation: 2 })).action).toBe('escalate');
    await recordDueSteps(w.deps, { hazardId, generation: 2 });
    // A retried delivery finds the withdrawal: nothing is sent, nothing is written twice.
    await recordDueSteps(w.deps, { hazardId, generation: 2 });

    expect(w.notifier.sent.slice(closedAt)).toEqual([]);
    const withdrawals = (await w.log(hazardId)).filter(
      (event) => event.type === 'escalation_withdrawn',
    );
    expect(withdrawals.map((event) => [event.data, event.idempotencyKey])).toEqual([
      [
        { key: `${hazardId}#1#reminder`, step: 'reminder', round: 1, reason: 'hazard_closed' },
        `${hazardId}#1#reminder#withdrawn`,
      ],
    ]);
    expect((await w.state(hazardId))?.escalations).toMatchObject([
      { key: `${hazardId}#1#reminder`, delivered: false, withdrawn: true },
    ]);
    // Nothing is left to do: the workflow ends.
    expect((await planTurn(w.deps, { hazardId, generation: 2 })).action).toBe('done');

    // The hazard's page shows the withdrawal on its timeline, in the shape the API promises.
    const state = await w.state(hazardId);
    if (!state) throw new Error('no hazard');
    const detail = hazardDetail(state, await w.log(hazardId), { valid: true, head: 'h' });
    const timeline = hazardDetailSchema.parse(detail).timeline;
    expect(timeline.map((entry) => entry.type)).toContain('escalation_withdrawn');
    // Each gap in the numbers is said: the workflow's own records left out before an entry.
    const log = await w.log(hazardId);
    for (const [index, entry] of timeline.entries()) {
      const previous = timeline[index - 1]?.sequence ?? 0;
      expect(entry.systemRecordsBefore ?? 0, `before #${entry.sequence}`).toBe(
        entry.sequence - previous - 1,
      );
    }
    expect(timeline.some((entry) => entry.systemRecordsBefore)).toBe(true);
    expect(log.length).toBeGreaterThan(timeline.length);
    expect(hazardSummary(state).escalations).toBe(1);
    // The domain refuses a second withdrawal, and one of a step that was never recorded.
    for (const key of [`${hazardId}#1#reminder`, `${hazardId}#1#summons`]) {
      expect(() =>
        checkTransition(state, {
          type: 'escalation_withdrawn',
          data: { key, step: 'reminder', round: 1, reason: 'hazard_closed' },
        }),
      ).toThrow(LifecycleViolation);
    }
  });

  it('is withdrawn when the close lands between the last read and the delivery', async () => {
    const w = world();
    const hazardId = 'h-race';
    await w.record(hazardId);
    await w.decide(hazardId, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理出口',
      deadline: { date: '2026-12-10' },
    });
    await w.decide(hazardId, { type: 'submit_evidence', note: '已清理', photoKeys: [] });
    await w.decide(hazardId, { type: 'pass_verification', note: '通过', onSite: true });
    // The officer's close is written just as the workflow, having read the record open,
    // is about to deliver the reminder.
    const store = w.deps.events;
    let armed = false;
    let closed = false;
    const closeOnce = async () => {
      if (!armed || closed) return;
      closed = true;
      await w.decide(hazardId, { type: 'close', note: '销号' });
    };
    const racing: LifecycleDependencies = {
      ...w.deps,
      events: {
        // Whatever the workflow does next after recording the step (reading the record
        // again, or writing to it), the close lands right after its read, or before its write.
        load: async (stream, projection) => {
          const snapshot = await store.load(stream, projection);
          await closeOnce();
          return snapshot;
        },
        read: (stream) => store.read(stream),
        firstEvent: (stream) => store.firstEvent(stream),
        append: async (stream, expected, event, projection) => {
          if (event.type !== 'escalation_step_recorded') await closeOnce();
          const result = await store.append(stream, expected, event, projection);
          if (event.type === 'escalation_step_recorded') armed = true;
          return result;
        },
      },
    };
    // The flaky notifier's one failure is spent first: this test is about the race alone.
    await w.notifier
      .send({
        key: 'warm-up',
        channel: 'sms',
        to: 'x',
        subject: { zh: '', en: '' },
        body: { zh: '', en: '' },
      })
      .catch(() => {});
    expect((await planTurn(w.deps, { hazardId, generation: 1 })).action).toBe('escalate');
    await recordDueSteps(racing, { hazardId, generation: 1 });
    expect(closed).toBe(true);
    expect(w.notifier.sent.filter((message) => message.key.startsWith(hazardId))).toEqual([]);
    expect((await w.state(hazardId))?.escalations).toMatchObject([
      { key: `${hazardId}#1#reminder`, delivered: false, withdrawn: true },
    ]);
  });

  it('is delivered as before when the hazard is still open', async () => {
    const w = world();
    const hazardId = 'h-open';
    await w.record(hazardId);
    await w.decide(hazardId, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理出口',
      deadline: { date: '2026-12-10' },
    });
    expect((await planTurn(w.deps, { hazardId, generation: 1 })).action).toBe('escalate');
    await expect(recordDueSteps(w.deps, { hazardId, generation: 1 })).rejects.toThrow();
    await recordDueSteps(w.deps, { hazardId, generation: 1 });
    expect(w.notifier.sent.map((message) => message.key)).toEqual([
      `${hazardId}#1#reminder#enterprise_principal`,
      `${hazardId}#1#reminder#assigned_officer`,
    ]);
    expect((await w.state(hazardId))?.escalations).toMatchObject([{ delivered: true }]);
    expect((await w.log(hazardId)).map((event) => event.type)).not.toContain(
      'escalation_withdrawn',
    );
  });
});

describe('a hazard at a place without a credit code (site.ts)', () => {
  const site = {
    name: '老王便利店',
    address: '东门路 20 号',
    kind: 'shop' as const,
    personInCharge: '王某',
    phone: '13800138000',
  };
  const start = {
    type: 'start_rectification' as const,
    responsible: '王某',
    measures: '清理出口',
    deadline: { date: '2026-12-10' },
  };

  it("tells the officials and the place's person in charge (its mobile), naming the place", async () => {
    const w = world();
    const hazardId = 'h-site';
    await w.record(hazardId, { site });
    await w.decide(hazardId, start);
    expect((await planTurn(w.deps, { hazardId, generation: 1 })).action).toBe('escalate');
    await expect(recordDueSteps(w.deps, { hazardId, generation: 1 })).rejects.toThrow();
    await recordDueSteps(w.deps, { hazardId, generation: 1 });
    expect(w.notifier.sent.map((message) => [message.key, message.to])).toEqual([
      [`${hazardId}#1#reminder#enterprise_principal`, `site_person_in_charge@${hazardId}`],
      [`${hazardId}#1#reminder#assigned_officer`, 'assigned_officer@cq-gecheng'],
    ]);
    expect(w.notifier.sent[0]?.body.zh).toContain('老王便利店');
    expect((await w.state(hazardId))?.escalations).toMatchObject([{ delivered: true }]);
  });

  it('reaches no enterprise recipient when its phone is a landline', async () => {
    const w = world();
    const hazardId = 'h-site-landline';
    await w.record(hazardId, { site: { ...site, phone: '02361234567' } });
    await w.decide(hazardId, start);
    expect((await planTurn(w.deps, { hazardId, generation: 1 })).action).toBe('escalate');
    await expect(recordDueSteps(w.deps, { hazardId, generation: 1 })).rejects.toThrow();
    await recordDueSteps(w.deps, { hazardId, generation: 1 });
    expect(w.notifier.sent.map((message) => message.key)).toEqual([
      `${hazardId}#1#reminder#assigned_officer`,
    ]);
  });
});

describe("the enterprise's link by SMS (issue 14)", () => {
  const site = {
    name: '老王便利店',
    address: '东门路 20 号',
    kind: 'shop' as const,
    personInCharge: '王某',
    phone: '13800138000',
  };
  const start = {
    type: 'start_rectification' as const,
    responsible: '王某',
    measures: '清理出口',
    deadline: { date: '2026-12-31' },
  };
  const withLinks = (w: ReturnType<typeof world>) => {
    const signed: { hazardId: string; expiresAt: Date }[] = [];
    const deps: LifecycleDependencies = {
      ...w.deps,
      siteUrl: 'https://qingling.example/',
      enterpriseLink: async (hazardId, expiresAt) => {
        signed.push({ hazardId, expiresAt });
        return `token-${signed.length}`;
      },
    };
    return { deps, signed };
  };

  it('is texted once as rectification starts, to the person in charge, and says what it is', async () => {
    const w = world();
    const { deps, signed } = withLinks(w);
    const hazardId = 'h-link-site';
    await w.record(hazardId, { site });
    expect((await planTurn(deps, { hazardId, generation: 1 })).action).toBe('wait');
    await w.decide(hazardId, start);
    expect((await planTurn(deps, { hazardId, generation: 1 })).action).toBe('escalate');
    // The provider fails once: the next turn sends it, under the same key.
    await expect(recordDueSteps(deps, { hazardId, generation: 1 })).rejects.toThrow();
    await recordDueSteps(deps, { hazardId, generation: 1 });
    await recordDueSteps(deps, { hazardId, generation: 1 });
    expect(w.notifier.sent.map((message) => [message.key, message.to])).toEqual([
      [`${hazardId}#1#enterprise_link#enterprise_principal`, `site_person_in_charge@${hazardId}`],
    ]);
    const [message] = w.notifier.sent;
    expect(message?.body.zh).toContain('老王便利店');
    expect(message?.body.zh).toContain('2026-12-31');
    expect(message?.body.zh).toContain('https://qingling.example/enterprise/#token-2');
    expect(message?.body.en).toContain('https://qingling.example/en/enterprise/#token-2');
    // Valid past the deadline (24:00 CST on the 31st), for a late fix.
    expect(signed.at(-1)?.expiresAt.toISOString()).toBe('2027-03-01T16:00:00.000Z');
    expect((await w.state(hazardId))?.linkTexted).toMatchObject({ round: 1, mobileOnFile: true });
    expect((await planTurn(deps, { hazardId, generation: 1 })).action).toBe('wait');
  });

  it('records that nothing was sent when no mobile is on file', async () => {
    const w = world();
    const { deps } = withLinks(w);
    const hazardId = 'h-link-none';
    // An enterprise the register has no entry for: no principal's mobile.
    await w.record(hazardId);
    await w.decide(hazardId, start);
    expect((await planTurn(deps, { hazardId, generation: 1 })).action).toBe('escalate');
    await recordDueSteps(deps, { hazardId, generation: 1 });
    expect(w.notifier.sent).toEqual([]);
    expect((await w.state(hazardId))?.linkTexted).toMatchObject({ round: 1, mobileOnFile: false });
    expect((await planTurn(deps, { hazardId, generation: 1 })).action).toBe('wait');
  });

  it("puts a fresh link in the enterprise's reminder, and none in the officer's", async () => {
    const w = world();
    const { deps } = withLinks(w);
    const hazardId = 'h-link-reminder';
    await w.record(hazardId, { site });
    await w.decide(hazardId, { ...start, deadline: { date: '2026-12-10' } });
    expect((await planTurn(deps, { hazardId, generation: 1 })).action).toBe('escalate');
    await expect(recordDueSteps(deps, { hazardId, generation: 1 })).rejects.toThrow();
    await recordDueSteps(deps, { hazardId, generation: 1 });
    const reminder = (recipient: string) =>
      w.notifier.sent.find((message) => message.key === `${hazardId}#1#reminder#${recipient}`);
    expect(reminder('enterprise_principal')?.body.zh).toMatch(
      /提交整改情况：https:\/\/qingling\.example\/enterprise\/#token-\d+/,
    );
    expect(reminder('assigned_officer')?.body.zh).not.toContain('/enterprise/#');
  });
});

describe('the hazard Plan read, handed to RecordDueSteps (issue 11)', () => {
  it('is read once a turn, and a close written in between still stops the step', async () => {
    const w = world();
    const hazardId = 'h-handed';
    await w.record(hazardId);
    await w.decide(hazardId, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理出口',
      deadline: { date: '2026-12-10' }, // Thursday: the reminder is due at once
    });
    await w.decide(hazardId, { type: 'submit_evidence', note: '已清理', photoKeys: [] });
    await w.decide(hazardId, { type: 'pass_verification', note: '通过', onSite: true });
    // The notifier's one failure, spent: this test is about reads and the race.
    await w.notifier
      .send({
        key: 'warm-up',
        channel: 'sms',
        to: 'x',
        subject: { zh: '', en: '' },
        body: { zh: '', en: '' },
      })
      .catch(() => {});
    let loads = 0;
    const counted: LifecycleDependencies = {
      ...w.deps,
      plannedHazards: new PlannedSnapshots<HazardState>(),
      events: {
        ...w.deps.events,
        load: (stream, projection) => {
          loads += 1;
          return w.deps.events.load(stream, projection);
        },
        read: (stream) => w.deps.events.read(stream),
        append: (stream, expected, event, projection) =>
          w.deps.events.append(stream, expected, event, projection),
      },
    };
    expect((await planTurn(counted, { hazardId, generation: 1 })).action).toBe('escalate');
    // The officer closes the hazard after Plan read it, before RecordDueSteps acts.
    await w.decide(hazardId, { type: 'close', note: '销号' });
    await recordDueSteps(counted, { hazardId, generation: 1 });
    // One read, Plan's: the handed snapshot's first write conflicted with the close and the
    // turn went on from the record as the conflict returned it, as after a read of its own:
    // the round ended before the step was recorded, so nothing is recorded or sent.
    expect(loads).toBe(1);
    expect(w.notifier.sent.filter((message) => message.key.startsWith(hazardId))).toEqual([]);
    expect((await w.state(hazardId))?.escalations).toEqual([]);
    expect((await w.state(hazardId))?.status).toBe('closed');
  });
});
