import { seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import type { LifecycleDependencies } from '@qingling/shared/hazards/lifecycle.ts';
import { defaultLookBackPolicy } from '@qingling/shared/hazards/look-back.ts';
import { dependencies } from '../dependencies.ts';

/** What every lifecycle task receives from the state machine (ASL Parameters.Payload). */
export interface LifecycleTaskInput {
  hazardId: string;
  generation: number;
  turn?: number;
  startedAt?: string;
}

const hazardIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks a task's input: the hazard id becomes part of a key and of an execution name
 * (`{id}-{generation}`, at most 80 characters), the generation is an integer from 1.
 */
export function taskInput(event: unknown): LifecycleTaskInput {
  const { hazardId, generation, turn, startedAt } = (event ?? {}) as Partial<LifecycleTaskInput>;
  if (typeof hazardId !== 'string' || !hazardIdPattern.test(hazardId)) {
    throw new TypeError('The task input needs a hazardId');
  }
  if (typeof generation !== 'number' || !Number.isInteger(generation) || generation < 1) {
    throw new TypeError('The task input needs a generation (an integer from 1)');
  }
  return {
    hazardId,
    generation,
    ...(Number.isInteger(turn) ? { turn } : {}),
    ...(typeof startedAt === 'string' && !Number.isNaN(Date.parse(startedAt)) ? { startedAt } : {}),
  };
}

/**
 * The lifecycle's work, wired for a handler: the record and the clock from the composition
 * root, the default ladder, look-back policy and holiday calendar, and the notifier, built only when a
 * message is sent (planning never sends, so its function needs no topic).
 */
export function lifecycleDependencies(): LifecycleDependencies {
  return {
    events: dependencies.eventStore(),
    clock: dependencies.clock(),
    notifier: { send: (notification) => dependencies.notifier().send(notification) },
    policy: defaultEscalationPolicy,
    lookBack: defaultLookBackPolicy,
    calendar: seedCalendar,
  };
}
