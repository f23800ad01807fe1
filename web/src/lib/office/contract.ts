/**
 * The hazard API as the office console and the enterprise page see it: types only, taken
 * from the shared schemas so that a change of contract fails the type check here.
 */
import type { Jurisdiction } from '@qingling/shared/api/schemas.ts';
import type { enterpriseViewSchema } from '@qingling/shared/hazards/enterprise-access-routes.ts';
import type { hazardLogSchema } from '@qingling/shared/hazards/log-routes.ts';
import type {
  deskSchema,
  enterpriseLinkSchema,
  hazardDetailSchema,
  hazardListSchema,
  importResultSchema,
  ledgerStatuses,
  rectificationPlanSchema,
} from '@qingling/shared/hazards/schemas.ts';
import type * as z from 'zod';

export type { Jurisdiction };
export type HazardDetail = z.output<typeof hazardDetailSchema>;
export type Hazard = HazardDetail['hazard'];
export type TimelineEntry = HazardDetail['timeline'][number];
export type HazardList = z.output<typeof hazardListSchema>;
export type HazardSummary = HazardList['hazards'][number];
export type LedgerStatus = (typeof ledgerStatuses)[number];
export type HazardLog = z.output<typeof hazardLogSchema>;
export type EnterpriseLink = z.output<typeof enterpriseLinkSchema>;
export type ImportResult = z.output<typeof importResultSchema>['results'][number];
export type EnterpriseView = z.output<typeof enterpriseViewSchema>;
export type RectificationPlan = z.output<typeof rectificationPlanSchema>;
export type Desk = z.output<typeof deskSchema>;

/**
 * A substantiated tip a hazard is recorded from (举报查实): what the form starts with. Not
 * the tip's text: the officer describes the hazard in their own words, since the
 * enterprise reads the hazard and nothing of the tipster may reach it.
 */
export interface FromTip {
  tipId: string;
  industry: string;
  place: string;
  /** The village or community the tip named (村/社区). */
  unit?: string;
  /** The enterprise or shop as the tipster named it (no credit code): a place's name to start from. */
  enterprise?: string;
}
