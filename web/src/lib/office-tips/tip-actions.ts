import type { Role } from '@qingling/shared/auth/principal.ts';
import { tipCommandRoles } from '@qingling/shared/tips/triage.ts';
import type {
  TipCommandType,
  TipForOfficer,
  TipMessage,
  TipStatus,
  TipTimelineEntry,
} from './contract.ts';

/** The forms of the tip page: one per command a person can give on a tip. */
export type TipAction = TipCommandType;

/**
 * The statuses each command is given in (the domain's rules, shared/tips/tip.ts). The
 * server checks the same again; this only keeps off the page what would be refused.
 */
const givenIn: Record<TipAction, readonly TipStatus[]> = {
  accept: ['received'],
  refuse: ['received'],
  refer: ['received'],
  merge: ['received'],
  start_investigation: ['accepted'],
  record_finding: ['investigating'],
  approve_extension: ['accepted', 'investigating'],
  give_feedback: ['substantiated', 'unsubstantiated'],
  record_outcome: ['substantiated', 'closed'],
  // Named on the substantiated tip, until its reward is approved.
  record_joint_tipsters: ['substantiated', 'closed'],
  compute_reward: ['substantiated', 'closed'],
  approve_reward: ['substantiated', 'closed'],
  // A joint tip's share is paid on the joint tip, which rests merged.
  record_payment: ['substantiated', 'closed', 'merged'],
};

/** The case result and the reward: on a substantiated tip, until the reward is approved. */
function rewardStepOpen(tip: TipForOfficer, action: TipAction): boolean {
  // A claimed reward is paid once.
  if (action === 'record_payment') return Boolean(tip.reward?.claim && !tip.reward.payment);
  if (tip.finding !== 'substantiated' || tip.reward?.approvedBy) return false;
  if (action === 'compute_reward') {
    return Boolean(tip.outcome) && tip.outcome?.kind !== 'nothing_found';
  }
  if (action === 'approve_reward') return Boolean(tip.reward);
  return true;
}

const order = Object.keys(givenIn) as TipAction[];
const rewardActions = {
  record_outcome: true,
  record_joint_tipsters: true,
  compute_reward: true,
  approve_reward: true,
  record_payment: true,
};

/**
 * The commands valid for the tip as it is and for the person's roles (RULES.md, "Who is
 * who"). `userId`: who asks; the reward officer who computed a reward is not offered its
 * approval (two people: the server refuses it).
 */
export function availableTipActions(
  tip: TipForOfficer,
  roles: readonly Role[],
  userId?: string,
): TipAction[] {
  return order.filter(
    (action) =>
      givenIn[action].includes(tip.status) &&
      tipCommandRoles[action].some((role) => roles.includes(role)) &&
      !(action === 'approve_extension' && tip.extensionUsed) &&
      !(action === 'approve_reward' && userId && tip.reward?.computedBy === userId) &&
      (!(action in rewardActions) || rewardStepOpen(tip, action)),
  );
}

/** Officers may ask the tipster while the tip is still being handled. */
export const canAskTipster = (tip: TipForOfficer, roles: readonly Role[]): boolean =>
  roles.includes('officer') && !['refused', 'referred', 'merged', 'closed'].includes(tip.status);

/** What came into a tip: a step of its course or a message of its conversation. */
/** An opening of a claim's sealed bank details: an event on the tip, not the tipster's. */
export interface DetailsOpening {
  by: string;
  name?: string | undefined;
  at: string;
}

export type TipChange =
  | { step: TipTimelineEntry }
  | { message: TipMessage }
  | { opened: DetailsOpening };

/**
 * The tip's course as its page shows it, oldest first: the steps the tipster sees, and
 * (for the office only) each opening of the claim's bank details, by whom and when.
 */
export function tipCourse(tip: TipForOfficer): TipChange[] {
  const entries: TipChange[] = [
    ...tip.timeline.map((step) => ({ step })),
    ...(tip.reward?.detailsOpened ?? []).map((opened) => ({ opened })),
  ];
  const at = (entry: TipChange) =>
    'step' in entry ? entry.step.at : 'opened' in entry ? entry.opened.at : entry.message.at;
  // A stable sort: steps of the same moment keep their order.
  return entries.sort((a, b) => at(a).localeCompare(at(b)));
}

/**
 * The steps and then the messages `after` has that `before` did not (both only grow), oldest
 * first.
 */
export function newTipChanges(
  before: TipForOfficer | undefined,
  after: TipForOfficer | undefined,
): TipChange[] {
  if (!after) return [];
  return [
    ...after.timeline.slice(before?.timeline.length ?? 0).map((step) => ({ step })),
    ...after.messages.slice(before?.messages.length ?? 0).map((message) => ({ message })),
  ];
}
