import { createAccessLink } from '@qingling/shared/enterprises/access-link.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import {
  type LifecycleDependencies,
  planTurn,
  recordDueSteps,
} from '@qingling/shared/hazards/lifecycle.ts';
import { defaultLookBackPolicy } from '@qingling/shared/hazards/look-back.ts';
import { planTipTurn, recordDueTipSteps } from '@qingling/shared/tips/lifecycle.ts';
import { defaultTipTimeLimits } from '@qingling/shared/tips/time-limits.ts';
import { tipStream } from '@qingling/shared/tips/tip.ts';
import type { StepsRecorded, TurnPlan } from '@qingling/shared/workflow/turns.ts';
import * as dependencies from '../dependencies.ts';
import { linkKey } from '../hazards/link-key.ts';

/**
 * What every lifecycle task receives from a state machine (ASL Parameters.Payload): the
 * hazard lifecycle names a hazardId, the tip lifecycle a tipId. The same four functions
 * serve both state machines.
 */
export type LifecycleTaskInput = ({ hazardId: string } | { tipId: string }) & {
  generation: number;
  turn?: number;
  startedAt?: string;
  /** The state machine's own ARN ($$.StateMachine.Id), for the next generation. */
  stateMachineArn?: string;
  /** The fingerprint of the definition this execution runs (its DefinitionHash). */
  definition?: string;
};

const recordIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks a task's input: the record id becomes part of a key and of an execution name
 * (`{id}-{generation}`, at most 80 characters), the generation is an integer from 1.
 */
export function taskInput(event: unknown): LifecycleTaskInput {
  const input = (event ?? {}) as Record<string, unknown>;
  const { generation, turn, startedAt, stateMachineArn, definition } = input;
  const id = input.hazardId ?? input.tipId;
  if (typeof id !== 'string' || !recordIdPattern.test(id)) {
    throw new TypeError('The task input needs a hazardId or a tipId');
  }
  if (typeof generation !== 'number' || !Number.isInteger(generation) || generation < 1) {
    throw new TypeError('The task input needs a generation (an integer from 1)');
  }
  return {
    ...('hazardId' in input ? { hazardId: id } : { tipId: id }),
    generation,
    ...(typeof turn === 'number' && Number.isInteger(turn) ? { turn } : {}),
    ...(typeof startedAt === 'string' && !Number.isNaN(Date.parse(startedAt)) ? { startedAt } : {}),
    ...(typeof stateMachineArn === 'string' ? { stateMachineArn } : {}),
    ...(typeof definition === 'string' && /^[0-9a-f]{16}$/.test(definition) ? { definition } : {}),
  };
}

/** The record a task works on: its id, its stream and the name of its id in the input. */
export function recordOf(input: LifecycleTaskInput) {
  return 'hazardId' in input
    ? { field: 'hazardId' as const, id: input.hazardId, stream: hazardStream(input.hazardId) }
    : { field: 'tipId' as const, id: input.tipId, stream: tipStream(input.tipId) };
}

/**
 * The lifecycle's work, wired for a handler: the record and the clock from the composition
 * root, the policies in force (the holiday calendar, and the ladder of each hazard's
 * jurisdiction, read through the policy cache), the default look-back policy, and the
 * notifier, built only when a message is sent (planning never sends, so its function needs
 * no topic). `policy` is the national default, for a record without a jurisdiction's.
 */
export async function lifecycleDependencies(): Promise<LifecycleDependencies> {
  const policies = dependencies.policies();
  return {
    events: dependencies.eventStore(),
    clock: dependencies.clock(),
    notifier: { send: (notification) => dependencies.notifier().send(notification) },
    policy: defaultEscalationPolicy,
    policyFor: (jurisdiction) => policies.escalationPolicy(jurisdiction),
    lookBack: defaultLookBackPolicy,
    calendar: await policies.calendar(),
    ...(process.env.SITE_URL ? { siteUrl: process.env.SITE_URL } : {}),
    // Plan and Escalate both know links are texted (ENTERPRISE_LINKS_BY_SMS); only Escalate
    // holds the link key (RECEIPT_KEY_SECRET_ARN) and signs them.
    textsEnterpriseLinks: process.env.ENTERPRISE_LINKS_BY_SMS === '1',
    ...(process.env.RECEIPT_KEY_SECRET_ARN ? { enterpriseLink: signEnterpriseLink } : {}),
  };
}

/** A link that opens the hazard to its enterprise until `expiresAt` (access-link.ts). */
export const signEnterpriseLink = async (hazardId: string, expiresAt: Date) =>
  createAccessLink(await linkKey(), { hazardId, expiresAt });

const tipDependencies = async () => ({
  ...(await lifecycleDependencies()),
  limits: defaultTipTimeLimits,
  officeHours: defaultEscalationPolicy.officeHours,
});

/** Plans a turn of whichever record the input names. */
export async function planRecordTurn(input: LifecycleTaskInput): Promise<TurnPlan> {
  return 'hazardId' in input
    ? planTurn(await lifecycleDependencies(), input)
    : planTipTurn(await tipDependencies(), input);
}

/**
 * Records and delivers the due steps of whichever record the input names, and plans what
 * follows from the record as the recording left it.
 */
export async function recordRecordSteps(input: LifecycleTaskInput): Promise<StepsRecorded> {
  return 'hazardId' in input
    ? recordDueSteps(await lifecycleDependencies(), input)
    : recordDueTipSteps(await tipDependencies(), input);
}

/**
 * The fingerprints of the lifecycle definitions deployed last, by record kind
 * (LIFECYCLE_DEFINITIONS, set by CDK); none on the embedded cloud.
 */
export function deployedDefinitions(): Partial<Record<'hazard' | 'tip', string>> {
  return JSON.parse(process.env.LIFECYCLE_DEFINITIONS ?? '{}') as Partial<
    Record<'hazard' | 'tip', string>
  >;
}
