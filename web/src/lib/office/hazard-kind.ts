import { validate } from '@qingling/shared/api/validation.ts';
import {
  type HazardCommandRequest,
  hazardCommandSchema,
} from '@qingling/shared/hazards/schemas.ts';
import { m } from '#lib/paraglide/messages.js';
import type { HazardDetail, TimelineEntry } from './contract.ts';
import { type HazardAction, newHazardEntries } from './hazard-actions.ts';
import { OfficeRecord, type RecordKind } from './record/office-record.svelte.ts';
import TimelineEvent from './TimelineEvent.svelte';

type HazardCommand = HazardCommandRequest['command'];

/** A hazard as a record of the console: its log entries are what a conflict shows. */
export const hazardKind: RecordKind<HazardDetail, HazardCommand, TimelineEntry> = {
  path: (hazardId) => `/api/office/hazards/${encodeURIComponent(hazardId)}`,
  check: (command) => validate(hazardCommandSchema, command),
  noticeId: 'hazard-notice',
  conflict: {
    title: m.hz_conflict_title,
    text: m.hz_conflict_text,
    unavailable: m.hz_conflict_unavailable,
    changes: m.hz_conflict_changes,
  },
  newEntries: newHazardEntries,
  entryKey: (entry) => entry.sequence,
  Entry: TimelineEvent,
};

/** One hazard's page as the console holds it. */
export type HazardRecord = OfficeRecord<HazardDetail, HazardAction, HazardCommand, TimelineEntry>;

export const hazardRecord = (hazardId: string): HazardRecord =>
  new OfficeRecord(hazardKind, hazardId);
