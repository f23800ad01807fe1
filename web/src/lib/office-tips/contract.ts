/**
 * The tips API as the office console sees it: types only, taken from the shared schemas so
 * that a change of contract fails the type check here.
 */
import type {
  giveTipCommandSchema,
  possibleDuplicatesSchema,
  tipForOfficerSchema,
} from '@qingling/shared/tips/office-schemas.ts';
import type {
  officeTipSchema,
  TipStatus,
  tipCreatedSchema,
  tipListSchema,
  tipMessageSchema,
} from '@qingling/shared/tips/schemas.ts';
import type * as z from 'zod';

export type { TipStatus };
export type TipList = z.output<typeof tipListSchema>;
export type TipSummary = TipList['tips'][number];
export type TipForOfficer = z.output<typeof tipForOfficerSchema>;
export type PossibleDuplicates = z.output<typeof possibleDuplicatesSchema>;
export type TipMessage = z.output<typeof tipMessageSchema>;
export type TipTimelineEntry = TipForOfficer['timeline'][number];
export type TipChannel = TipForOfficer['channel'];
export type TipCommand = z.input<typeof giveTipCommandSchema>['command'];
export type TipCommandType = TipCommand['type'];
export type OfficeTipBody = z.input<typeof officeTipSchema>;
export type OfficeTipChannel = OfficeTipBody['channel'];
export type TipCreated = z.output<typeof tipCreatedSchema>;
