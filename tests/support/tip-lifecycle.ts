import { deadlineAfter, seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import type { Actor, NewEvent } from '@qingling/shared/event-log/event-log.ts';
import { MemoryEventStore } from '@qingling/shared/event-log/memory-event-store.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import type { Notification } from '@qingling/shared/ports/outbox.ts';
import { planTipTurn, recordDueTipSteps } from '@qingling/shared/tips/lifecycle.ts';
import { defaultTipTimeLimits as limits } from '@qingling/shared/tips/time-limits.ts';
import {
  type TipReceived,
  type TipState,
  tipProjection,
  tipStream,
} from '@qingling/shared/tips/tip.ts';
import { giveTipCommand, type TipCommand } from '@qingling/shared/tips/triage.ts';

/**
 * The `tip_received` event the domain tests of tips start from: a blocked fire exit at
 * 东门路 18 号 in cq-gecheng, a reward wanted, its accept deadline counted from `at`.
 */
export function tipReceived(
  tipId: string,
  at: string,
  data: Partial<TipReceived> = {},
): NewEvent<'tip_received', TipReceived> {
  return {
    type: 'tip_received',
    at,
    actor: { kind: 'tipster', id: 'tipster' },
    idempotencyKey: 'tip_received',
    data: {
      tipId,
      channel: 'web',
      jurisdiction: 'cq-gecheng',
      industry: 'fire',
      address: '东门路 18 号',
      description: '仓库安全出口被货物堵死',
      seenOn: '2026-03-01',
      isEmployee: false,
      wantsReward: true,
      photoIds: [],
      contentDigest: 'd',
      acceptDeadline: deadlineAfter(seedCalendar, new Date(at), limits.accept).toISOString(),
      ...data,
    },
  };
}

export const officer: Actor = { kind: 'person', id: 'officer-1' };
export const rewardOfficer: Actor = { kind: 'person', id: 'reward-1' };
export const approver: Actor = { kind: 'person', id: 'reward-2' };

/**
 * One tip's lifecycle in memory, for the domain tests of the deadlines it keeps (the reward's
 * notice and claim): an event store, a clock the test sets with `at`, the notifications sent
 * through a notifier the test can take down, the officers' commands, and the lifecycle's
 * plan and recorded steps. Its functions are fields, so that a test may destructure them;
 * call `reset` before each test.
 */
export class TipLifecycle {
  store = new MemoryEventStore();
  now = new Date(0);
  sent: Notification[] = [];
  notifierDown = false;
  /** The commands given so far: the last one's idempotency key is `k${keys}`. */
  keys = 0;
  /** The lifecycle execution that holds the tip: a test moves it on to play a restart. */
  generation = 1;

  readonly tipId: string;
  constructor(tipId: string) {
    this.tipId = tipId;
  }

  reset = () => {
    this.store = new MemoryEventStore();
    this.sent = [];
    this.notifierDown = false;
    this.generation = 1;
  };

  at = (instant: string) => {
    this.now = new Date(instant);
  };

  deps = () => ({
    events: this.store,
    clock: { now: () => this.now },
    limits,
    calendar: seedCalendar,
    officeHours: defaultEscalationPolicy.officeHours,
    notifier: {
      send: async (notification: Notification) => {
        if (this.notifierDown) throw new Error('notifier down');
        this.sent.push(notification);
      },
    },
    spread: () => 0,
  });

  /** The tip received now, by an employee who saw it on Sun 31 May 2026 (the tests' day before). */
  receive = (data: Partial<TipReceived> = {}) =>
    this.store.append(
      tipStream(this.tipId),
      null,
      tipReceived(this.tipId, this.now.toISOString(), {
        seenOn: '2026-05-31',
        isEmployee: true,
        ...data,
      }),
      tipProjection,
    );

  give = async (command: TipCommand, actor = officer) => {
    this.keys += 1;
    const outcome = await giveTipCommand(
      { ...this.deps(), workflow: { wake: async () => {} } },
      { tipId: this.tipId, command, actor, idempotencyKey: `k${this.keys}` },
    );
    if (outcome.kind !== 'done') throw new Error(outcome.kind);
  };

  stateOf = async (): Promise<TipState> => {
    const snapshot = await this.store.load(tipStream(this.tipId), tipProjection);
    if (!snapshot) throw new Error('no tip');
    return snapshot.state;
  };

  plan = async () => {
    const { version: _version, ...rest } = await planTipTurn(this.deps(), {
      tipId: this.tipId,
      generation: this.generation,
    });
    return rest;
  };

  record = async () => {
    const { next: _next, ...counts } = await recordDueTipSteps(this.deps(), {
      tipId: this.tipId,
      generation: this.generation,
    });
    return counts;
  };
}
