import { describe, expect, it } from 'vitest';
import { endOfCstDay, seedCalendar } from '../calendar/calendar.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import type { Notification, Notifier } from '../ports/outbox.ts';
import {
  backlogRefusal,
  backlogRefusals,
  closeImported,
  startImportedRectification,
} from './backlog.ts';
import { recordHazard } from './commands.ts';
import { defaultEscalationPolicy, planEscalation } from './escalation.ts';
import { currentRound, type HazardState, hazardProjection, hazardStream } from './hazard.ts';
import { ledgerColumns, ledgerRow } from './ledger-export.ts';
import { type LifecycleDependencies, recordDueSteps } from './lifecycle.ts';
import { defaultLookBackPolicy } from './look-back.ts';
import { hazardSummary } from './views.ts';

const policy = defaultEscalationPolicy;
const calendar = seedCalendar;

describe('an imported round: the steps due before the import count as reached', () => {
  const importedAt = new Date('2026-12-03T02:00:00.000Z'); // Thu 10:00 CST

  it('fires nothing for a deadline of 2023, and has nothing left to fire', () => {
    const round = {
      number: 1,
      deadline: endOfCstDay('2023-06-30'),
      startedAt: importedAt,
      reachedBefore: importedAt,
    };
    const plan = planEscalation({
      hazardId: 'h',
      round,
      recorded: new Set(),
      closed: false,
      now: importedAt,
      policy,
      calendar,
    });
    expect(plan).toEqual({ due: [], nextAt: null });
    // Without the mark, the whole ladder would fire at once: the burst this prevents.
    const { reachedBefore: _, ...plain } = round;
    expect(
      planEscalation({
        hazardId: 'h',
        round: plain,
        recorded: new Set(),
        closed: false,
        now: importedAt,
        policy,
        calendar,
      }).due.map((step) => step.step),
    ).toEqual(['reminder', 'notice_letter', 'circular', 'summons', 'public_exposure']);
  });

  it('goes on from the next step: ten days overdue, the summons at day 14', () => {
    const round = {
      number: 1,
      deadline: endOfCstDay('2026-11-23'),
      startedAt: importedAt,
      reachedBefore: importedAt,
    };
    const plan = (now: Date) =>
      planEscalation({
        hazardId: 'h',
        round,
        recorded: new Set(),
        closed: false,
        now,
        policy,
        calendar,
      });
    expect(plan(importedAt).due).toEqual([]);
    // 24:00 on 23 Nov CST + 14 days: the summons is urgent, at its own time.
    expect(plan(importedAt).nextAt?.toISOString()).toBe('2026-12-07T16:00:00.000Z');
    const atSummons = plan(new Date('2026-12-07T16:00:00.000Z')).due;
    expect(atSummons.map((step) => [step.step, step.late])).toEqual([['summons', false]]);
  });
});

describe("an imported row's dates", () => {
  const now = new Date('2026-12-03T02:00:00.000Z');
  it('refuses a closed row without its date, or closed before it was found or after today', () => {
    expect(backlogRefusal({ status: 'closed' }, now)?.message).toBe(
      backlogRefusals.closedOnMissing,
    );
    expect(
      backlogRefusal({ status: 'closed', foundOn: '2023-05-01', closedOn: '2023-04-01' }, now)
        ?.path,
    ).toBe('closedOn');
    expect(backlogRefusal({ status: 'closed', closedOn: '2026-12-04' }, now)?.message).toBe(
      backlogRefusals.closedOnAfterToday,
    );
    expect(
      backlogRefusal({ status: 'closed', foundOn: '2023-05-01', closedOn: '2023-06-01' }, now),
    ).toBeNull();
  });
  it('takes a past deadline with its found-on date, not without, nor before it', () => {
    expect(backlogRefusal({ deadline: '2023-06-30', foundOn: '2023-05-01' }, now)).toBeNull();
    expect(backlogRefusal({ deadline: '2023-06-30' }, now)?.message).toBe(
      backlogRefusals.pastDeadlineWithoutFoundOn,
    );
    expect(backlogRefusal({ deadline: '2023-04-30', foundOn: '2023-05-01' }, now)?.path).toBe(
      'deadline',
    );
    expect(backlogRefusal({ deadline: '2026-12-31' }, now)).toBeNull();
    // A date closed on an open row is a contradiction, not something to drop silently.
    expect(backlogRefusal({ status: 'open', closedOn: '2023-06-01' }, now)?.path).toBe('status');
    expect(backlogRefusal({ closedOn: '2023-06-01' }, now)?.message).toBe(
      backlogRefusals.closedOnButOpen,
    );
  });
});

class Outbox implements Notifier {
  readonly sent: Notification[] = [];
  async send(notification: Notification) {
    this.sent.push(notification);
  }
}

describe('an imported hazard on its log', () => {
  function world() {
    let now = new Date('2026-12-03T02:00:00.000Z');
    const outbox = new Outbox();
    const deps: LifecycleDependencies = {
      events: new MemoryEventStore(),
      notifier: outbox,
      clock: { now: () => new Date(now) },
      policy,
      lookBack: { ...defaultLookBackPolicy, generalSampleRate: 0 },
      calendar,
      spread: () => 0,
    };
    const commands = { ...deps, workflow: { wake: async () => {} } };
    const actor = { kind: 'person' as const, id: 'officer' };
    const record = (hazardId: string, grade: 'general' | 'major' = 'general') =>
      recordHazard(commands, {
        facts: {
          hazardId,
          source: 'inspection',
          jurisdiction: 'cq-gecheng',
          industry: 'fire',
          enterprise: '91350100M000100Y43',
          place: '东门路 18 号仓库',
          grade,
          ...(grade === 'major' ? { standard: { ref: 'GB 35181', clause: '3.1' } } : {}),
          description: '安全出口被堵',
          foundOn: '2023-05-01',
        },
        actor,
      });
    const state = async (hazardId: string) =>
      (await deps.events.load(hazardStream(hazardId), hazardProjection))?.state;
    return {
      deps,
      commands,
      actor,
      outbox,
      record,
      state,
      set: (instant: string) => {
        now = new Date(instant);
      },
    };
  }

  it('rectifies from a past deadline, sends nothing for the past, then the next step', async () => {
    const w = world();
    await w.record('h1');
    const request = {
      hazardId: 'h1',
      responsible: '王某',
      measures: '清理安全出口',
      deadline: '2026-11-23',
      actor: w.actor,
      idempotencyKey: 'import:rectify:h1',
    };
    expect((await startImportedRectification(w.commands, request)).kind).toBe('done');
    // A retry writes nothing more.
    const again = await startImportedRectification(w.commands, request);
    expect(again.kind === 'done' && again.duplicate).toBe(true);
    const state = await w.state('h1');
    if (!state) throw new Error('not recorded');
    expect(state.status).toBe('rectifying');
    expect(currentRound(state)?.reachedBefore?.toISOString()).toBe('2026-12-03T02:00:00.000Z');
    // Ten days overdue: the circular (day 7) was the last step reached; the ledger says so.
    expect(state.round?.reachedStep).toBe('circular');
    expect(ledgerRow(state, 1, '2026-12-03')[ledgerColumns.indexOf('已升级至')]).toBe('通报');
    // The console's ledger says the same, with who is responsible.
    expect(hazardSummary(state)).toMatchObject({
      stepReached: 'circular',
      escalations: 0,
      responsible: '王某',
    });

    await recordDueSteps(w.deps, { hazardId: 'h1', generation: 0 });
    expect(w.outbox.sent).toEqual([]);
    expect((await w.state('h1'))?.escalations).toEqual([]);

    w.set('2026-12-07T16:00:00.000Z');
    await recordDueSteps(w.deps, { hazardId: 'h1', generation: 0 });
    expect((await w.state('h1'))?.escalations.map((entry) => entry.step)).toEqual(['summons']);
    expect(hazardSummary((await w.state('h1')) as HazardState)).toMatchObject({
      stepReached: 'summons',
      escalations: 1,
    });
    expect(w.outbox.sent.map((message) => message.key)).toEqual(['h1#1#summons#leader_in_charge']);
  });

  it('closes a closed row on the day the ledger gives, with no ladder, telling nobody', async () => {
    const w = world();
    await w.record('h2', 'major');
    const outcome = await closeImported(w.commands, {
      hazardId: 'h2',
      closedOn: '2023-07-15',
      actor: w.actor,
      idempotencyKey: 'import:closed:h2',
    });
    expect(outcome.kind).toBe('done');
    const state = await w.state('h2');
    expect(state?.status).toBe('closed');
    expect(state?.closedAt).toBe('2023-07-14T16:00:00.000Z');
    expect(state?.round).toBeNull();
    await recordDueSteps(w.deps, { hazardId: 'h2', generation: 0 });
    expect(w.outbox.sent).toEqual([]);
  });
});
