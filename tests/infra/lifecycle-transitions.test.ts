import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import {
  hazardLifecyclePath,
  loadDefinition,
  localSubstitutions,
  tipLifecyclePath,
} from '../../infra/workflows/definitions.ts';

// Standard workflows are billed per state transition: most of the lifecycle's cost. The
// ASL file runs here with scripted tasks (what each Plan says, in order), and every state
// entered is counted from the runner's event log: each Plan, Route (Choice), Task and the
// final Succeed is one transition. Task retries (Lambda service errors) would add one each;
// the ASL's own Retry is the only one (CDK adds none: the definition is the file).
const pricePerThousandTransitions = 0.025;

type Action = 'escalate' | 'wait' | 'done' | 'renew';

/**
 * What RecordDueSteps says follows: a wait it planned itself (the next scripted action, when
 * it is a wait: no Plan in between), or `plan` (back through Plan for the rest).
 */
function afterRecording(plans: Action[]) {
  const waits = plans[0] === 'wait';
  if (waits) plans.shift();
  return { action: waits ? 'wait' : 'plan', timeoutSeconds: 60, turn: 1, version: 1 };
}

async function countTransitions(script: readonly Action[]) {
  const machine = new StateMachine(
    loadDefinition(hazardLifecyclePath, localSubstitutions) as never,
    {
      validationOptions: { checkArn: false },
    },
  );
  const plans = [...script];
  const calls: string[] = [];
  const execution = machine.run(
    { hazardId: 'h1', generation: 1 },
    {
      context: { Task: { Token: 'local:h1' }, StateMachine: { Id: 'local:hazard-lifecycle' } },
      overrides: {
        taskResourceLocalHandlers: {
          Plan: async () => {
            calls.push('Plan');
            const action = plans.shift();
            if (!action) throw new Error('script ran out');
            return { Payload: { action, timeoutSeconds: 60, turn: calls.length, version: 1 } };
          },
          RecordDueSteps: async () => {
            calls.push('RecordDueSteps');
            return { Payload: { recorded: 1, delivered: 1, next: afterRecording(plans) } };
          },
          // A decision (SendTaskSuccess) or the timer (States.Timeout → Plan): one transition.
          WaitForDecisionOrTimer: async () => {
            calls.push('WaitForDecisionOrTimer');
            return {};
          },
          ContinueAsNewGeneration: async () => {
            calls.push('ContinueAsNewGeneration');
            return {};
          },
        },
      },
    },
  );
  const entered: string[] = [];
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered')
      entered.push((event as { state: { name: string } }).state.name);
  }
  await execution.result;
  expect(plans, 'every scripted plan was used').toEqual([]);
  return { transitions: entered.length, entered, calls };
}

/** The plans of one turn: a wait that a decision or the timer ends. */
const waitTurn: Action[] = ['wait'];
/** A ladder step falls due: record it, then wait again (recording plans the wait). */
const stepTurn: Action[] = ['escalate', 'wait'];

describe('state transitions per lifecycle (Standard workflow cost)', () => {
  it('typical: report, rectify with a reminder, notice letter, evidence, verify, close', async () => {
    const script: Action[] = [
      ...waitTurn, // reported: wait for the rectification order
      ...stepTurn, // rectification started, deadline near: the reminder
      ...stepTurn, // the timer: the notice letter
      ...waitTurn, // evidence submitted
      ...waitTurn, // verification passed
      'done', // closed
    ];
    const { transitions, entered, calls } = await countTransitions(script);
    // Begin + 6 Plans + 8 Routes + 2 RecordDueSteps + 5 waits + Ended: each step's
    // recording plans the wait after it (before: a Plan more per step, 25 transitions).
    expect(transitions).toBe(23);
    expect(entered.filter((name) => name === 'Plan')).toHaveLength(6);
    expect(calls.filter((name) => name === 'RecordDueSteps')).toHaveLength(2);
    expect(entered.at(-1)).toBe('Ended');
    const perThousandHazards = (transitions * 1000 * pricePerThousandTransitions) / 1000;
    expect(perThousandHazards).toBeCloseTo(0.575);
  });

  it('worst case: a major hazard, all five steps, a failed verification, a second round of five, a look-back', async () => {
    const round: Action[] = [
      ...stepTurn, // reminder
      ...stepTurn, // notice letter
      ...stepTurn, // circular
      ...stepTurn, // summons
      ...stepTurn, // public exposure
      ...waitTurn, // a 2,000,000 s timer ends with nothing due (23 days on)
      ...waitTurn, // evidence submitted
    ];
    const script: Action[] = [
      ...stepTurn, // reported: the enterprise's principal and controller are told
      ...round, // round 1 (rectification started: waits until the reminder)
      ...waitTurn, // verification failed: round 2 opens with a new deadline
      ...round, // round 2
      ...waitTurn, // verification passed
      ...waitTurn, // closed: waits for the look-back (30 days: two timers)
      ...waitTurn,
      'escalate', // the look-back falls due: the officer is told
      'done',
    ];
    const { transitions } = await countTransitions(script);
    // Begin + 21 Plans + 33 Routes + 12 RecordDueSteps + 19 waits + Ended (before: 97):
    // 11 steps are followed by a wait their recording planned; the look-back's is not.
    expect(transitions).toBe(87);
    expect((transitions * 1000 * pricePerThousandTransitions) / 1000).toBeCloseTo(2.175);
  });

  it('renewal: a long-lived lifecycle hands over to the next generation and ends', async () => {
    const { entered, calls } = await countTransitions(['wait', 'renew']);
    expect(calls).toEqual(['Plan', 'WaitForDecisionOrTimer', 'Plan', 'ContinueAsNewGeneration']);
    expect(entered).toEqual([
      'Begin',
      'Plan',
      'Route',
      'WaitForDecisionOrTimer',
      'Plan',
      'Route',
      'ContinueAsNewGeneration',
      'Ended',
    ]);
  });
});

describe('a tip begun with its first turn (issue 13)', () => {
  async function tipStates(input: Record<string, unknown>) {
    const machine = new StateMachine(
      loadDefinition(tipLifecyclePath, localSubstitutions) as never,
      { validationOptions: { checkArn: false } },
    );
    const calls: string[] = [];
    let waits = 0;
    const execution = machine.run(input, {
      context: { Task: { Token: 'local:t1' }, StateMachine: { Id: 'local:tip-lifecycle' } },
      overrides: {
        taskResourceLocalHandlers: {
          Plan: async () => {
            calls.push('Plan');
            return { Payload: { action: 'done', timeoutSeconds: 1, turn: 2, version: 1 } };
          },
          WaitForDecisionOrTimer: async (payload) => {
            calls.push(`Wait ${JSON.stringify((payload as { Payload: unknown }).Payload)}`);
            waits += 1;
            return {};
          },
        },
      },
    });
    const entered: string[] = [];
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered')
        entered.push((event as { state: { name: string } }).state.name);
    }
    await execution.result;
    return { entered, calls, waits };
  }

  it('goes straight to the wait intake planned, with no Plan task before it', async () => {
    const firstTurn = { action: 'wait', timeoutSeconds: 3600, turn: 1, version: 1 };
    const { entered, calls } = await tipStates({ tipId: 't1', generation: 1, firstTurn });
    expect(entered.slice(0, 4)).toEqual(['Begin', 'FirstTurn', 'Route', 'WaitForDecisionOrTimer']);
    expect(calls[0]).toMatch(/^Wait .*"timeoutSeconds":3600,"seenVersion":1,/);
    // Woken (or timed out): it plans from the record as any turn does.
    expect(calls[1]).toBe('Plan');
  });

  it('plans first when started without one (a wake, a renewal, the reconciler)', async () => {
    const { entered, calls } = await tipStates({ tipId: 't1', generation: 2 });
    expect(entered.slice(0, 3)).toEqual(['Begin', 'CountTurns', 'Plan']);
    expect(calls).toEqual(['Plan']);
  });
});
