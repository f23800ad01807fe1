import type { Recipient } from '../hazards/escalation.ts';

/**
 * The office people a jurisdiction's administrators keep contacts for (the jurisdiction's
 * contact lists): every ladder recipient but the enterprise's people, who are reached at
 * the mobiles of the enterprise register, and the public page, which is no person; and the
 * reward officers, whom a tip's lifecycle reminds of a reward notice due (reward-notice.ts).
 */
export const jurisdictionRecipients = [
  'assigned_officer',
  'jurisdiction_departments',
  'department_head',
  'leader_in_charge',
  'principal_leader',
  'reward_officer',
] as const satisfies readonly (Recipient | 'reward_officer')[];
export type JurisdictionRecipient = (typeof jurisdictionRecipients)[number];
