import type { LifecycleWaitItem } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import type { StepsRecorded, TurnPlan } from '@qingling/shared/workflow/turns.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  hazardLifecyclePath,
  loadDefinition,
  localSubstitutions,
} from '../../../workflows/definitions.ts';
import {
  type LifecycleTasks,
  type LifecycleWaitStore,
  LocalWorkflowConductor,
} from './conductor.ts';

// The local runner with the real hazard ASL and tasks the test controls: what it runs, how
// often, and what it keeps in memory. (tests/integration/lifecycle.test.ts runs it with the
// real tasks on dynalite.)
const definition = loadDefinition(hazardLifecyclePath, localSubstitutions);
let now = Date.parse('2026-12-08T02:00:00.000Z');
const clock = { now: () => new Date(now) };
const stream = (id: string) => `HAZARD#${id}`;

class MemoryWaits implements LifecycleWaitStore {
  readonly items = new Map<string, LifecycleWaitItem>();
  async register(wait: {
    stream: string;
    generation: number;
    timeoutSeconds: number;
    seenVersion?: number;
  }) {
    const until = new Date(now + wait.timeoutSeconds * 1000).toISOString();
    this.items.set(wait.stream, {
      stream: wait.stream,
      generation: wait.generation,
      until,
      ...(wait.seenVersion !== undefined ? { seenVersion: wait.seenVersion } : {}),
    });
    return { until, stale: false };
  }
  async end(streamName: string, generation: number, seenVersion: number) {
    this.items.set(streamName, { stream: streamName, generation, seenVersion, ended: true });
  }
  async *waitingUntil() {
    for (const item of this.items.values()) if (item.until) yield item;
  }
}

/** What recording returns when it leaves the next plan to Plan. */
const throughPlan: StepsRecorded = {
  recorded: 1,
  delivered: 1,
  next: { action: 'plan', timeoutSeconds: 1, turn: 1, version: 2 },
};

/** Tasks that plan a wait of an hour unless told otherwise, and count their calls. */
function tasks(overrides: Partial<LifecycleTasks> = {}) {
  const calls = { plan: 0, escalate: 0, nextGeneration: 0 };
  const wait: TurnPlan = { action: 'wait', timeoutSeconds: 3600, turn: 1, version: 1 };
  const base: LifecycleTasks = {
    plan: async () => wait,
    escalate: async () => throughPlan,
    nextGeneration: async () => 1,
  };
  const counted: LifecycleTasks = {
    plan: (input) => {
      calls.plan += 1;
      return (overrides.plan ?? base.plan)(input);
    },
    escalate: (input) => {
      calls.escalate += 1;
      return (overrides.escalate ?? base.escalate)(input);
    },
    nextGeneration: (id) => {
      calls.nextGeneration += 1;
      return (overrides.nextGeneration ?? base.nextGeneration)(id);
    },
  };
  return { calls, tasks: counted };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** The runner over the real hazard ASL, with the tasks and the wait store a test gives it. */
const runner = (counted: LifecycleTasks, waits: LifecycleWaitStore) =>
  new LocalWorkflowConductor({ definition, clock, tasks: counted, waits, stream });

afterEach(() => {
  vi.useRealTimers();
});

describe('the local lifecycle runner', () => {
  it('parks a waiting record: nothing runs, one timer stays, and it runs again when due', async () => {
    const waits = new MemoryWaits();
    const { calls, tasks: counted } = tasks();
    const conductor = runner(counted, waits);
    for (let index = 0; index < 300; index += 1) conductor.start(`H${index}`);
    await conductor.settled();
    // Memory holds timers, not executions: bounded by the records waiting.
    expect(conductor.size).toEqual({ parked: 300, running: 0, queued: 0 });
    expect(waits.items.get('HAZARD#H7')).toMatchObject({ generation: 1, seenVersion: 1 });
    expect(calls.plan).toBe(300);

    now += 3600 * 1000;
    conductor.tick();
    await conductor.settled();
    // Each ran its own generation again (no new generation, no new claim).
    expect(calls.plan).toBe(600);
    expect(calls.nextGeneration).toBe(300);
    await conductor.stop();
  });

  it('tells a fast clock the earliest timer whose record has not finished its run', async () => {
    const waits = new MemoryWaits();
    const slow = deferred<TurnPlan>();
    let blockH2 = false;
    const { tasks: counted } = tasks({
      plan: async (input) =>
        blockH2 && input.id === 'H2'
          ? slow.promise
          : {
              action: 'wait',
              timeoutSeconds: input.id === 'H1' ? 3600 : 7200,
              turn: 1,
              version: 1,
            },
    });
    const conductor = runner(counted, waits);
    conductor.start('H1');
    conductor.start('H2');
    await conductor.settled();
    const h1Due = now + 3600 * 1000;
    const h2Due = now + 7200 * 1000;
    // Parked, not due yet: the earliest timer (a late heartbeat must not let the clock pass it).
    expect(conductor.oldestDueAt()).toBe(h1Due);
    blockH2 = true;
    now += 3 * 3600 * 1000;
    conductor.tick();
    expect(conductor.oldestDueAt()).toBe(h1Due);
    for (let turn = 0; turn < 20 && conductor.size.running > 1; turn += 1) {
      await new Promise((done) => setImmediate(done));
    }
    // H1 parked again an hour on; H2's turn is still under way: its due time holds.
    expect(conductor.size.running).toBe(1);
    expect(conductor.oldestDueAt()).toBe(h2Due);
    slow.resolve({ action: 'wait', timeoutSeconds: 7200, turn: 1, version: 1 });
    await conductor.settled();
    expect(conductor.oldestDueAt()).toBe(now + 3600 * 1000);
    await conductor.stop();
  });

  it('goes from recording straight to the wait recording planned, without planning again', async () => {
    const waits = new MemoryWaits();
    const seen: (number | undefined)[] = [];
    const { calls, tasks: counted } = tasks({
      plan: async () => ({ action: 'escalate', timeoutSeconds: 1, turn: 1, version: 3 }),
      escalate: async (input) => {
        seen.push(input.turn);
        return {
          recorded: 1,
          delivered: 1,
          next: { action: 'wait', timeoutSeconds: 7200, turn: 2, version: 5 },
        };
      },
    });
    const conductor = runner(counted, waits);
    conductor.start('H1');
    await conductor.settled();
    expect(calls).toMatchObject({ plan: 1, escalate: 1 });
    // The recording task knew its turn; the wait counts from the version it left.
    expect(seen).toEqual([1]);
    expect(waits.items.get('HAZARD#H1')).toMatchObject({
      seenVersion: 5,
      until: new Date(now + 7200 * 1000).toISOString(),
    });
    expect(conductor.size).toEqual({ parked: 1, running: 0, queued: 0 });
    await conductor.stop();
  });

  it('begins a record created with its generation claimed without asking for one', async () => {
    const waits = new MemoryWaits();
    const { calls, tasks: counted } = tasks();
    const conductor = runner(counted, waits);
    await conductor.begin('H1', 3);
    await conductor.settled();
    expect(waits.items.get('HAZARD#H1')).toMatchObject({ generation: 3 });
    // Known here already (parked): begun again, it is only woken, in its own generation.
    await conductor.begin('H1', 3);
    await conductor.settled();
    expect(calls).toMatchObject({ plan: 2, nextGeneration: 0 });
    expect(waits.items.get('HAZARD#H1')).toMatchObject({ generation: 3 });
    await conductor.stop();
  });

  it('stops only once a wait registration under way has been written', async () => {
    // The store closes right after the runner stops: a registration still on its way to the
    // store then wrote to a closed database (dynalite's "Database is closed", an uncaught
    // error in the fresh-clone runs).
    const registering = deferred<void>();
    const entered = deferred<void>();
    const written: string[] = [];
    const waits = new MemoryWaits();
    const register = waits.register.bind(waits);
    waits.register = async (wait) => {
      entered.resolve();
      await registering.promise;
      written.push(wait.stream);
      return register(wait);
    };
    const { tasks: counted } = tasks();
    const conductor = runner(counted, waits);
    conductor.start('H1');
    await entered.promise;
    let stopped = false;
    const stopping = conductor.stop().then(() => {
      stopped = true;
    });
    // Turns of the event loop, not time: whatever stop() awaits has had its chance to end.
    for (let turn = 0; turn < 5; turn += 1) await new Promise((done) => setImmediate(done));
    expect(stopped).toBe(false);
    registering.resolve();
    await stopping;
    expect(written).toEqual(['HAZARD#H1']);
  });

  it('never runs a task twice at once when the library retries it on its timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const waits = new MemoryWaits();
    const slow = deferred<StepsRecorded>();
    let planned = 0;
    const { calls, tasks: counted } = tasks({
      plan: async () => {
        planned += 1;
        return planned === 1
          ? { action: 'escalate', timeoutSeconds: 1, turn: 1, version: 1 }
          : { action: 'wait', timeoutSeconds: 3600, turn: 2, version: 2 };
      },
      escalate: () => slow.promise,
    });
    const conductor = runner(counted, waits);
    conductor.start('H1');
    // RecordDueSteps times out after 60 s and is retried (2, 4, 8… s apart), up to 5 times.
    await vi.advanceTimersByTimeAsync(61_000);
    await vi.advanceTimersByTimeAsync(70_000);
    expect(calls.escalate).toBe(1);
    slow.resolve(throughPlan);
    await vi.advanceTimersByTimeAsync(1000);
    await conductor.settled();
    expect(calls.escalate).toBe(1);
    await conductor.stop();
  });

  it('plans again when woken while it plans, instead of losing the wake-up', async () => {
    const waits = new MemoryWaits();
    const planning = deferred<void>();
    let planned = 0;
    const { calls, tasks: counted } = tasks({
      plan: async () => {
        planned += 1;
        if (planned === 1) await planning.promise;
        return { action: 'wait', timeoutSeconds: 3600, turn: planned, version: planned };
      },
    });
    const conductor = runner(counted, waits);
    conductor.start('H1');
    await vi.waitFor(() => expect(calls.plan).toBe(1));
    // A decision lands while the first turn plans from the record as it was.
    await conductor.wake('H1');
    planning.resolve();
    await conductor.settled();
    expect(calls.plan).toBe(2);
    expect(waits.items.get('HAZARD#H1')?.seenVersion).toBe(2);
    await conductor.stop();
  });

  it('after a restart, takes its timers back from the WAIT items without running anything', async () => {
    const waits = new MemoryWaits();
    waits.items.set('HAZARD#H1', {
      stream: 'HAZARD#H1',
      generation: 4,
      until: new Date(now + 60_000).toISOString(),
      seenVersion: 9,
    });
    waits.items.set('TIP#T1', {
      stream: 'TIP#T1',
      generation: 1,
      until: new Date(now).toISOString(),
    });
    const generations: number[] = [];
    const { calls, tasks: counted } = tasks({
      plan: async (input) => {
        generations.push(input.generation);
        return { action: 'done', timeoutSeconds: 1, turn: 1, version: 9 };
      },
    });
    const conductor = runner(counted, waits);
    expect([...(await conductor.restore())]).toEqual(['H1']);
    expect(conductor.size).toEqual({ parked: 1, running: 0, queued: 0 });
    conductor.tick();
    await conductor.settled();
    expect(calls.plan).toBe(0);
    now += 60_000;
    conductor.tick();
    await conductor.settled();
    // The generation the record held, not a new one; done: its WAIT item says it ended.
    expect(generations).toEqual([4]);
    expect(calls.nextGeneration).toBe(0);
    expect(waits.items.get('HAZARD#H1')).toMatchObject({ ended: true, seenVersion: 9 });
    await conductor.stop();
  });

  it('runs at most maxRunning executions at once and queues the rest in order', async () => {
    const waits = new MemoryWaits();
    let running = 0;
    let most = 0;
    const { tasks: counted } = tasks({
      plan: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return { action: 'wait', timeoutSeconds: 60, turn: 1, version: 1 };
      },
    });
    const conductor = new LocalWorkflowConductor({
      definition,
      clock,
      tasks: counted,
      waits,
      stream,
      maxRunning: 4,
    });
    for (let index = 0; index < 40; index += 1) conductor.start(`H${index}`);
    await conductor.settled();
    expect(most).toBe(4);
    expect(conductor.size.parked).toBe(40);
    await conductor.stop();
  });
});
