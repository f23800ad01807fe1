import { validate } from '@qingling/shared/api/validation.ts';
import { tipCommandSchema } from '@qingling/shared/tips/office-schemas.ts';
import type { RecordKind } from '#lib/office/record/office-record.svelte.ts';
import { m } from '#lib/paraglide/messages.js';
import type { TipCommand, TipForOfficer } from './contract.ts';
import TipChangeItem from './TipChangeItem.svelte';
import { newTipChanges, type TipChange } from './tip-actions.ts';
import { TipRecord } from './tip-record.svelte.ts';

/** A tip as a record of the console: its steps and messages are what a conflict shows. */
export const tipKind: RecordKind<TipForOfficer, TipCommand, TipChange> = {
  path: (tipId) => `/api/office/tips/${encodeURIComponent(tipId)}`,
  check: (command) => validate(tipCommandSchema, command),
  noticeId: 'tip-notice',
  conflict: {
    title: m.tp_conflict_title,
    text: m.tp_conflict_text,
    unavailable: m.tp_conflict_unavailable,
    changes: m.tp_conflict_changes,
  },
  newEntries: newTipChanges,
  entryKey: (change, index) =>
    'message' in change
      ? change.message.messageId
      : 'opened' in change
        ? `opened-${change.opened.at}`
        : `step-${index}`,
  Entry: TipChangeItem,
};

export const tipRecord = (tipId: string): TipRecord => new TipRecord(tipKind, tipId);
