import type { Principal } from '@qingling/shared/auth/principal.ts';
import type { Snapshot } from '@qingling/shared/event-log/event-store.ts';
import { withRecordJustRead } from '@qingling/shared/event-log/read-once.ts';
import { rewardPolicyFor } from '@qingling/shared/rewards/reward-policy.ts';
import {
  grantJointShares,
  inReceiptOrder,
  jointTipRefusal,
} from '@qingling/shared/tips/joint-tipsters.ts';
import type { tipCommandSchema } from '@qingling/shared/tips/office-schemas.ts';
import { claimCodeHash } from '@qingling/shared/tips/reward-claim.ts';
import { tipTimeLimitsFor } from '@qingling/shared/tips/time-limits.ts';
import {
  TipRuleViolation,
  type TipState,
  tipForOfficer,
  tipForRewardOfficer,
} from '@qingling/shared/tips/tip.ts';
import { giveTipCommand, type TipCommand, tipCommandRoles } from '@qingling/shared/tips/triage.ts';
import type * as z from 'zod/mini';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { personOf } from '../http/principal-actor.ts';
import { tipForJurisdictionsOf } from './tip-access.ts';

/** The roles that read the whole tip; a reward officer alone reads the reward's view. */
const wholeTipReaders: readonly string[] = [
  'officer',
  'department_head',
  'leader_in_charge',
  'principal_leader',
];

/** The tip as this caller may read it (RULES.md, "Who is who"). */
export function tipViewFor(principal: Principal, state: TipState) {
  const now = dependencies.clock().now();
  return principal.roles.some((role) => wholeTipReaders.includes(role))
    ? tipForOfficer(state, now)
    : tipForRewardOfficer(state, now);
}

type CommandBody = z.output<typeof tipCommandSchema>;

/**
 * The reward policy in force now, read from the store rather than the minute's cache: an
 * administrator's edit made through another instance applies to the next substantiation.
 */
async function rewardPolicyNow(jurisdiction: string) {
  const stored = (await dependencies.policyStore().read()).rewardPolicies;
  return rewardPolicyFor(
    jurisdiction,
    stored?.find((policy) => policy.jurisdiction === jurisdiction),
  );
}

/**
 * Joint tips named on a tip: each in the tip's own jurisdiction (404 for any other) and
 * merged into it; given in the order they were received, the order their shares go in.
 */
async function jointTipsInReceiptOrder(tip: TipState, tipIds: readonly string[]) {
  const joint = await Promise.all(
    tipIds.map((id) => tipForJurisdictionsOf(id, [tip.jurisdiction])),
  );
  for (const [index, snapshot] of joint.entries()) {
    const refusal = jointTipRefusal(tip.tipId, snapshot.state);
    if (refusal) {
      throw new ApiFailure('rule_violated', [
        { path: `command.tipIds.${index}`, message: refusal },
      ]);
    }
  }
  return inReceiptOrder(joint.map((snapshot) => snapshot.state));
}

/** The command as the domain takes it: a claim code typed in becomes its keyed hash. */
async function domainCommand(tip: TipState, command: CommandBody): Promise<TipCommand> {
  const tipId = tip.tipId;
  if (command.type === 'record_joint_tipsters') {
    return { ...command, tipIds: await jointTipsInReceiptOrder(tip, command.tipIds) };
  }
  if (command.type !== 'record_payment') return command;
  const { claimCode, ...payment } = command;
  if (claimCode === undefined) return payment;
  const key = await dependencies.receiptKeys().receiptKey();
  return { ...payment, claimCodeHash: await claimCodeHash(key, tipId, claimCode) };
}

/**
 * Refuses (404) a hazard that is not in the jurisdictions given: what a finding that names
 * a hazard is checked by (hazards/hazard-scope.ts).
 */
export type HazardScopeCheck = (
  hazardId: string,
  jurisdictions: readonly string[],
) => Promise<unknown>;

/**
 * A command on a tip (giveTipCommand, commandTip's routes and computeReward/approveReward):
 * checked against the caller's role and the revision the caller saw, written to the
 * record, then the tip's lifecycle is woken. One path for every route that gives one.
 * Only a route that takes a finding passes the hazard check: the reward routes' functions
 * then ship without the hazard record's code (issue 13, bundle sizes).
 */
export async function runTipCommand(
  principal: Principal,
  tip: Snapshot<TipState>,
  body: { idempotencyKey: string; expectedRevision: number; command: CommandBody },
  checks: { hazardInScope?: HazardScopeCheck } = {},
) {
  const tipId = tip.state.tipId;
  const allowed: readonly string[] = tipCommandRoles[body.command.type];
  if (!principal.roles.some((role) => allowed.includes(role))) throw new ApiFailure('forbidden');
  // Records a command names belong to the tip's own jurisdiction (404 for any other).
  if (body.command.type === 'merge') {
    if (body.command.intoTipId === tipId) throw new ApiFailure('invalid_request');
    await tipForJurisdictionsOf(body.command.intoTipId, [tip.state.jurisdiction]);
  }
  if (body.command.type === 'record_finding' && body.command.hazardId) {
    if (!checks.hazardInScope) throw new Error('A finding that names a hazard needs its check');
    await checks.hazardInScope(body.command.hazardId, [tip.state.jurisdiction]);
  }
  const policies = dependencies.policies();
  const outcome = await giveTipCommand(
    {
      // The tip as the route's scope check just read it: not read a second time.
      events: withRecordJustRead(dependencies.eventStore(), tip),
      clock: dependencies.clock(),
      calendar: await policies.calendar(),
      // The jurisdiction's limits now: a deadline a command starts is written on its event.
      limits: tipTimeLimitsFor(await policies.escalationPolicy(tip.state.jurisdiction)),
      workflow: dependencies.tipWorkflow(),
      // Written on a substantiated finding: the policy its reward is computed by.
      ...(body.command.type === 'record_finding' && body.command.finding === 'substantiated'
        ? { rewardPolicy: await rewardPolicyNow(tip.state.jurisdiction) }
        : {}),
    },
    {
      tipId,
      command: await domainCommand(tip.state, body.command),
      actor: personOf(principal),
      idempotencyKey: body.idempotencyKey,
      expectedRevision: body.expectedRevision,
    },
  ).catch((error: unknown) => {
    if (error instanceof TipRuleViolation) {
      throw new ApiFailure('rule_violated', [{ path: 'command', message: error.text }]);
    }
    throw error;
  });
  if (outcome.kind === 'not_found') throw new ApiFailure('not_found');
  if (outcome.kind === 'conflict') {
    throw new ApiFailure('conflict', undefined, tipViewFor(principal, outcome.current.state));
  }
  if (body.command.type === 'approve_reward') {
    // Joint tipsters' shares on their own tips; a retried approval writes any missing.
    await grantJointShares(
      {
        events: dependencies.eventStore(),
        clock: dependencies.clock(),
        workflow: dependencies.tipWorkflow(),
      },
      outcome.snapshot.state,
    );
  }
  return { status: 200, body: tipViewFor(principal, outcome.snapshot.state) };
}
