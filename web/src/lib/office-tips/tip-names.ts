import type { TipLimit } from '@qingling/shared/tips/time-limits.ts';
import { type RefusalReason, refusalReasons } from '@qingling/shared/tips/tip.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import type { TipChannel, TipStatus } from './contract.ts';

/** The names officers read for the tips API's codes, in the page's language. */
export const tipStatusNames: Record<TipStatus, () => string> = {
  received: m.tp_status_received,
  accepted: m.tp_status_accepted,
  investigating: m.tp_status_investigating,
  substantiated: m.tp_status_substantiated,
  unsubstantiated: m.tp_status_unsubstantiated,
  closed: m.tp_status_closed,
  refused: m.tp_status_refused,
  referred: m.tp_status_referred,
  merged: m.tp_status_merged,
};

/** The inbox's tabs: new tips first, then the working ones, then the final ones. */
export const inboxStatuses: readonly TipStatus[] = [
  'received',
  'accepted',
  'investigating',
  'substantiated',
  'unsubstantiated',
  'closed',
  'refused',
  'referred',
  'merged',
];

export const channelNames: Record<TipChannel, () => string> = {
  web: m.tp_channel_web,
  hotline: m.tp_channel_hotline,
  letter: m.tp_channel_letter,
  visit: m.tp_channel_visit,
};

export const limitNames: Record<TipLimit, () => string> = {
  accept: m.tp_limit_accept,
  verify: m.tp_limit_verify,
  feedback: m.tp_limit_feedback,
};

export const isTipLimit = (value: string): value is TipLimit => Object.hasOwn(limitNames, value);

export const findingNames: Record<'substantiated' | 'unsubstantiated', () => string> = {
  substantiated: m.tp_finding_substantiated,
  unsubstantiated: m.tp_finding_unsubstantiated,
};

/** The four reasons a rule allows for refusing a tip, in the order of the rule. */
export const refusalReasonCodes = Object.keys(refusalReasons) as RefusalReason[];

/** What the tipster reads when a tip is refused for this reason (the domain's own text). */
export const refusalText = (reason: string): string =>
  reason in refusalReasons ? text(refusalReasons[reason as RefusalReason]) : reason;
