import { liveHazardIds } from '@qingling/shared/adapters/dynamodb/hazard-ledger.ts';
import { liveTipIds } from '@qingling/shared/adapters/dynamodb/tip-inbox.ts';
import type { EventStore } from '@qingling/shared/event-log/event-store.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import { type HazardState, hazardStream } from '@qingling/shared/hazards/hazard.ts';
import {
  type LifecycleDependencies,
  nextGeneration,
  planTurn,
  recordDueSteps,
} from '@qingling/shared/hazards/lifecycle.ts';
import { defaultLookBackPolicy } from '@qingling/shared/hazards/look-back.ts';
import type { CachedPolicies } from '@qingling/shared/policies/policy-source.ts';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import type { Notifier } from '@qingling/shared/ports/outbox.ts';
import {
  nextTipGeneration,
  planTipTurn,
  recordDueTipSteps,
} from '@qingling/shared/tips/lifecycle.ts';
import { defaultTipTimeLimits } from '@qingling/shared/tips/time-limits.ts';
import { type TipState, tipStream } from '@qingling/shared/tips/tip.ts';
import { PlannedSnapshots } from '@qingling/shared/workflow/turns.ts';
import {
  loadDefinition,
  localSubstitutions,
  recordLifecycles,
} from '../../workflows/definitions.ts';
import {
  type LifecycleTasks,
  type LifecycleWaitStore,
  LocalWorkflowConductor,
} from './workflow/conductor.ts';
import { asOneTurn } from './workflow/turn-reads.ts';

/** What the lifecycles' tasks work with on the embedded cloud. */
export interface LifecycleResources {
  events: EventStore;
  notifier: Notifier;
  clock: Clock;
  /** The policies in force: the same cache as the handlers', so an edit reaches both. */
  policies: CachedPolicies;
  /** Where each lifecycle keeps what it last said of itself (its wait, its end). */
  waits: LifecycleWaitStore;
  /** The site's address: messages link to the hazard's page there. */
  siteUrl?: string;
  /** Signs an enterprise link (the deployment's link key), as the Escalate function does. */
  enterpriseLink?: LifecycleDependencies['enterpriseLink'];
  /**
   * Wakes a tip's lifecycle: a tip's turn that writes a joint tipster's share on another
   * tip wakes that tip, so its claim deadline is kept at once (set by startConductors).
   */
  wakeTip?: (tipId: string) => Promise<void>;
}

/** Reads a record kind's live ids from its index (the ledger's, the inbox's). */
type LiveIds = typeof liveHazardIds;
type DocumentClient = Parameters<LiveIds>[0];

/**
 * What differs between the record kinds' lifecycles on the embedded cloud: the stream a
 * record's log is kept in, the index of its live records, and its domain tasks (the ASL
 * file and the input field come from the description CDK reads too: recordLifecycles).
 */
interface LocalRecordLifecycle {
  stream: (id: string) => string;
  liveIds: LiveIds;
  tasks: (resources: LifecycleResources) => LifecycleTasks;
}

/**
 * The hazard's lifecycle dependencies as the Lambda tasks build them: the national ladder
 * for a record without its jurisdiction's, and the calendar in force read (through the
 * cache) at each task.
 */
async function hazardDependencies(resources: LifecycleResources): Promise<LifecycleDependencies> {
  const { events, notifier, clock, policies, siteUrl, enterpriseLink } = resources;
  return {
    events,
    notifier,
    clock,
    ...(siteUrl ? { siteUrl } : {}),
    ...(enterpriseLink ? { enterpriseLink } : {}),
    policy: defaultEscalationPolicy,
    policyFor: (jurisdiction: string) => policies.escalationPolicy(jurisdiction),
    lookBack: defaultLookBackPolicy,
    calendar: await policies.calendar(),
  };
}

/** The tip's: the same, with its time limits and the ladder's office hours. */
async function tipDependencies(resources: LifecycleResources) {
  return {
    ...(await hazardDependencies(resources)),
    limits: defaultTipTimeLimits,
    officeHours: defaultEscalationPolicy.officeHours,
    ...(resources.wakeTip ? { wake: resources.wakeTip } : {}),
  };
}

const localLifecycles: Record<keyof typeof recordLifecycles, LocalRecordLifecycle> = {
  hazard: {
    stream: hazardStream,
    liveIds: liveHazardIds,
    tasks: (resources) => {
      // Plan and RecordDueSteps of a record run here one after the other: one read a turn.
      const plannedHazards = new PlannedSnapshots<HazardState>();
      const deps = async () => ({ ...(await hazardDependencies(resources)), plannedHazards });
      return {
        plan: ({ id, ...input }) =>
          asOneTurn(async () => planTurn(await deps(), { ...input, hazardId: id })),
        escalate: ({ id, ...input }) =>
          asOneTurn(async () => recordDueSteps(await deps(), { ...input, hazardId: id })),
        nextGeneration: (hazardId) => nextGeneration(resources.events, hazardId),
      };
    },
  },
  tip: {
    stream: tipStream,
    liveIds: liveTipIds,
    tasks: (resources) => {
      const plannedTips = new PlannedSnapshots<TipState>();
      const deps = async () => ({ ...(await tipDependencies(resources)), plannedTips });
      return {
        plan: ({ id, ...input }) =>
          asOneTurn(async () => planTipTurn(await deps(), { ...input, tipId: id })),
        escalate: ({ id, ...input }) =>
          asOneTurn(async () => recordDueTipSteps(await deps(), { ...input, tipId: id })),
        nextGeneration: (tipId) => nextTipGeneration(resources.events, tipId),
      };
    },
  },
};

/** One conductor per record kind, each running that kind's ASL file (Step Functions' job). */
export type LocalConductors = Record<keyof typeof recordLifecycles, LocalWorkflowConductor>;

/** In a fixed order: the hazards' lifecycles are resumed (and stopped) before the tips'. */
const kinds = ['hazard', 'tip'] as const satisfies readonly (keyof typeof recordLifecycles)[];

export function startConductors(resources: LifecycleResources): LocalConductors {
  // A tip's turn may wake another tip (a joint tipster's share): the tip conductor, once made.
  let tips: LocalWorkflowConductor | undefined;
  const withWake: LifecycleResources = {
    ...resources,
    wakeTip: async (tipId) => tips?.wake(tipId),
  };
  const conductorOf = (kind: keyof typeof recordLifecycles) =>
    new LocalWorkflowConductor({
      definition: loadDefinition(recordLifecycles[kind].definitionPath, localSubstitutions),
      clock: resources.clock,
      waits: resources.waits,
      stream: localLifecycles[kind].stream,
      field: recordLifecycles[kind].field,
      tasks: localLifecycles[kind].tasks(withWake),
    });
  tips = conductorOf('tip');
  return { hazard: conductorOf('hazard'), tip: tips };
}

/**
 * After a restart the waits the WAIT items hold become timers again (a Query of the index
 * of next-due times, not a run of every lifecycle); a live record without one (data kept
 * before WAIT items existed) starts from its kind's index (the ledger's, the inbox's).
 * What was under way at the kill is found by the reconciler's first sweep.
 */
export async function resumeLifecycles(
  conductors: LocalConductors,
  index: { documents: DocumentClient; tableName: string; jurisdictions: string[] },
): Promise<void> {
  for (const kind of kinds) {
    const conductor = conductors[kind];
    const restored = await conductor.restore();
    const live = await localLifecycles[kind].liveIds(
      index.documents,
      index.tableName,
      index.jurisdictions,
    );
    for (const id of live) {
      if (!restored.has(id)) conductor.start(id);
    }
  }
}

/** Every conductor's due timers, at each beat of the clock. */
export function tickConductors(conductors: LocalConductors): void {
  for (const kind of kinds) conductors[kind].tick();
}

/** The earliest due instant of work a conductor took and has not done: a fast clock waits for it. */
export function oldestDueOf(conductors: LocalConductors): number | undefined {
  let oldest: number | undefined;
  for (const kind of kinds) {
    const due = conductors[kind].oldestDueAt();
    if (due !== undefined && !(due >= (oldest ?? Infinity))) oldest = due;
  }
  return oldest;
}

export async function stopConductors(conductors: LocalConductors): Promise<void> {
  for (const kind of kinds) await conductors[kind].stop();
}
