/**
 * The tips API as the public pages see it: types only, taken from the shared schemas so that
 * a change of contract fails the type check here. Nothing of zod reaches the browser bundle
 * (`import type` is erased); the checks the pages run are in checks.ts.
 */

import { tipLimits } from '@qingling/shared/tips/limits.ts';
import type {
  claimRewardSchema,
  rewardClaimedSchema,
} from '@qingling/shared/tips/reward-schemas.ts';
import type {
  createTipSchema,
  photoUploadsSchema,
  postTipsterMessageSchema,
  requestPhotoUploadsSchema,
  TipStatus,
  tipCreatedSchema,
  tipForTipsterSchema,
  tipMessageSchema,
  uploadFormSchema,
} from '@qingling/shared/tips/schemas.ts';
import type * as z from 'zod';

export type { TipStatus };
export type CreateTipBody = z.input<typeof createTipSchema>;
export type TipCreated = z.output<typeof tipCreatedSchema>;
export type UploadForm = z.output<typeof uploadFormSchema>;
export type TipForTipster = z.output<typeof tipForTipsterSchema>;
export type TipMessage = z.output<typeof tipMessageSchema>;
export type PostTipsterMessageBody = z.input<typeof postTipsterMessageSchema>;
export type RequestPhotoUploadsBody = z.input<typeof requestPhotoUploadsSchema>;
export type PhotoUploads = z.output<typeof photoUploadsSchema>;
export type RewardForTipster = NonNullable<TipForTipster['reward']>;
export type ClaimRewardBody = z.input<typeof claimRewardSchema>;
export type RewardClaimed = z.output<typeof rewardClaimedSchema>;
export type SharedLocation = NonNullable<CreateTipBody['location']>;

/** The limits of a tip: the same module the server's schemas read (no zod in it). */
export const limits = tipLimits;

/** An industry of the taxonomy, as the pages show it. */
export interface Industry {
  code: string;
  zh: string;
  en: string;
}

/** A jurisdiction as GET /api/jurisdictions gives it (shared/src/api/schemas.ts). */
export interface JurisdictionChoice {
  code: string;
  zh: string;
  en: string;
  units: string[];
  point?: { latitude: number; longitude: number };
}
