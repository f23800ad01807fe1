import type { HolidayCalendar } from '../calendar/calendar.ts';
import type { AppendResult, EventStore, Snapshot } from '../event-log/event-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { Notifier } from '../ports/outbox.ts';
import { type DueStep, type EscalationPolicy, planEscalation } from './escalation.ts';
import { currentRound, type HazardState, hazardProjection, hazardStream } from './hazard.ts';

/**
 * The work of the lifecycle workflow's tasks, free of Step Functions: plan a turn from
 * the record and the clock; record due escalation steps once and deliver them at least
 * once. The Lambda handlers (AWS) and the local conductor call these.
 */
export interface LifecycleDependencies {
  events: EventStore;
  notifier: Notifier;
  clock: Clock;
  policy: EscalationPolicy;
  calendar: HolidayCalendar;
}

/** Below Node's 24.8-day timer overflow (the local runner) and AWS's limits. */
export const maxWaitSeconds = 2_000_000;

export type TurnPlan = { action: 'escalate' | 'wait' | 'done'; timeoutSeconds: number };

function planOf(deps: LifecycleDependencies, snapshot: Snapshot<HazardState>) {
  const state = snapshot.state;
  const round = currentRound(state);
  if (!round) return { due: [] as DueStep[], nextAt: null };
  return planEscalation({
    hazardId: state.hazardId,
    round,
    recorded: new Set(state.escalations.map((entry) => entry.key)),
    closed: state.status === 'closed',
    now: deps.clock.now(),
    policy: deps.policy,
    calendar: deps.calendar,
  });
}

export async function planTurn(deps: LifecycleDependencies, hazardId: string): Promise<TurnPlan> {
  const snapshot = await deps.events.load(hazardStream(hazardId), hazardProjection);
  if (!snapshot) return { action: 'done', timeoutSeconds: 1 };
  const undelivered = snapshot.state.escalations.some((entry) => !entry.delivered);
  const plan = planOf(deps, snapshot);
  if (plan.due.length || undelivered) return { action: 'escalate', timeoutSeconds: 1 };
  if (snapshot.state.status === 'closed') return { action: 'done', timeoutSeconds: 1 };
  const seconds = plan.nextAt
    ? Math.ceil((plan.nextAt.getTime() - deps.clock.now().getTime()) / 1000)
    : maxWaitSeconds;
  return { action: 'wait', timeoutSeconds: Math.min(maxWaitSeconds, Math.max(1, seconds)) };
}

/**
 * Records every due step on the log exactly once (the step key is the idempotency key),
 * in ladder order, then delivers each recorded, undelivered step's messages, each
 * carrying the step key, and marks it delivered. A crash between the two delivers again:
 * at least once.
 */
export async function recordDueSteps(
  deps: LifecycleDependencies,
  hazardId: string,
): Promise<{ recorded: number; delivered: number }> {
  const stream = hazardStream(hazardId);
  let snapshot = await deps.events.load(stream, hazardProjection);
  let recorded = 0;
  for (let attempt = 0; snapshot && attempt < 20; attempt += 1) {
    const [step] = planOf(deps, snapshot).due;
    if (!step) break;
    const result: AppendResult<HazardState> = await deps.events.append(
      stream,
      snapshot,
      {
        type: 'escalation_step_recorded',
        at: deps.clock.now().toISOString(),
        actor: { kind: 'system', id: 'lifecycle' },
        data: {
          step: step.step,
          round: Number(step.key.split('#')[1]),
          dueAt: step.dueAt.toISOString(),
          late: step.late,
        },
        idempotencyKey: step.key,
      },
      hazardProjection,
    );
    if (result.kind === 'appended') recorded += 1;
    snapshot = result.kind === 'conflict' ? result.current : result.snapshot;
  }
  let delivered = 0;
  for (const entry of snapshot?.state.escalations.filter((candidate) => !candidate.delivered) ??
    []) {
    const rung = deps.policy.ladder.find((candidate) => candidate.step === entry.step);
    if (!rung || !snapshot) continue;
    for (const recipient of rung.recipients) {
      await deps.notifier.send({
        key: `${entry.key}#${recipient}`,
        channel: recipient === 'public_page' ? 'webhook' : 'sms',
        to: `${recipient}@${snapshot.state.jurisdiction}`,
        subject: {
          zh: `${rung.name.zh}：${snapshot.state.place}${entry.late ? '（补发）' : ''}`,
          en: `${rung.name.en}: ${snapshot.state.place}${entry.late ? ' (late)' : ''}`,
        },
        body: {
          zh: `隐患“${snapshot.state.description}”整改期限为 ${snapshot.state.round?.deadline}，请按要求处理。`,
          en: `Hazard "${snapshot.state.description}" is due for rectification by ${snapshot.state.round?.deadline}.`,
        },
      });
    }
    for (let attempt = 0; attempt < 5 && snapshot; attempt += 1) {
      const result: AppendResult<HazardState> = await deps.events.append(
        stream,
        snapshot,
        {
          type: 'escalation_step_delivered',
          at: deps.clock.now().toISOString(),
          actor: { kind: 'system', id: 'lifecycle' },
          data: { key: entry.key },
          idempotencyKey: `${entry.key}#delivered`,
        },
        hazardProjection,
      );
      snapshot = result.kind === 'conflict' ? result.current : result.snapshot;
      if (result.kind !== 'conflict') {
        delivered += result.kind === 'appended' ? 1 : 0;
        break;
      }
    }
  }
  return { recorded, delivered };
}
