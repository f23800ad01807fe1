import * as z from 'zod/mini';
import { idempotencyKey, maxRecordVersion, said, text, withMeta } from '../api/validation.ts';
import { tipLimits } from './limits.ts';
import {
  bilingualSchema,
  claimStandings,
  sharedLocationSchema,
  tipMessageSchema,
  tipSummarySchema,
  tipTimelineEntrySchema,
} from './schemas.ts';

/**
 * The office's tip schemas: the tip as an officer reads it, with its case result and
 * reward, and the commands on it. Apart from the public ones (schemas.ts), so that the
 * public routes' functions do not carry them.
 */
const wholeNumber = (max: number) => z.number().check(z.int(), z.gte(0), z.lte(max));
/** Amounts in fen (分): integers, never floats. */
const fen = wholeNumber(Number.MAX_SAFE_INTEGER);

export const caseOutcomeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('fine_imposed'),
    hazardGrade: z.enum(['major', 'general']),
    fineYuan: withMeta(wholeNumber(1_000_000_000), { description: 'Fine imposed, whole yuan.' }),
  }),
  z.strictObject({
    kind: z.literal('accident_concealed'),
    accidentGrade: z.enum(['general', 'larger', 'major', 'especially_major']),
    deaths: z.number().check(z.int(), z.gte(1), z.lte(10_000)),
  }),
  z.strictObject({ kind: z.literal('nothing_found') }),
]);

const rewardComputationSchema = z.object({
  amountFen: fen,
  policyVersion: z.string(),
  rule: bilingualSchema,
  figures: bilingualSchema,
});

const tipOutcomeSchema = z.object({
  kind: z.enum(['fine_imposed', 'accident_concealed', 'nothing_found']),
  hazardGrade: z.optional(z.enum(['major', 'general'])),
  fineYuan: z.optional(z.number()),
  accidentGrade: z.optional(z.enum(['general', 'larger', 'major', 'especially_major'])),
  deaths: z.optional(z.number()),
  documentNumber: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  noticeDueBy: z.optional(z.string()),
});

const tipRewardSchema = z.object({
  computation: rewardComputationSchema,
  amountFen: withMeta(fen, { description: 'The amount to pay in fen: computed or adjusted.' }),
  adjustmentReason: z.optional(z.string()),
  computedBy: z.string(),
  computedByName: z.optional(z.string()),
  computedAt: z.string(),
  approvedBy: z.optional(z.string()),
  approvedByName: z.optional(z.string()),
  approvedAt: z.optional(z.string()),
  noticeDueBy: z.optional(z.string()),
  claimBy: z.optional(z.string()),
  standing: z.optional(z.enum(claimStandings)),
  /** Joint tipsters: each tip's share of amountFen, this tip's first. */
  shares: z.optional(z.array(z.object({ tipId: z.string(), amountFen: fen }))),
  /** On a joint tip: the reward it shares; amountFen is then its share. */
  jointShareOf: z.optional(z.object({ tipId: z.string(), totalFen: fen, shareCount: z.number() })),
  /** What the reward officer sees of the claim: never the code, never the sealed account. */
  claim: z.optional(
    z.object({
      method: z.enum(['in_person', 'bank_transfer']),
      claimedAt: z.string(),
      hasBankDetails: z.boolean(),
    }),
  ),
  /** The reminder before the claim deadline: `messaged` when sent to the sealed phone. */
  claimReminder: z.optional(
    z.object({
      at: z.string(),
      dueAt: z.string(),
      claimBy: z.string(),
      late: z.boolean(),
      messaged: z.boolean(),
      sentAt: z.optional(z.string()),
    }),
  ),
  lapsedAt: z.optional(z.string()),
  detailsOpened: z.optional(
    z.array(z.object({ by: z.string(), name: z.optional(z.string()), at: z.string() })),
  ),
  payment: z.optional(
    z.object({
      paidOn: z.string(),
      voucherNumber: z.string(),
      recordedBy: z.string(),
      recordedByName: z.optional(z.string()),
      recordedAt: z.string(),
    }),
  ),
});

export const tipForOfficerSchema = withMeta(
  z.extend(
    z.extend(tipSummarySchema, {
      unit: z.optional(z.string()),
      excerpt: withMeta(z.optional(z.string()), {
        description: 'Absent for a reward officer: the tipster’s own words may say who they are.',
      }),
      description: withMeta(z.optional(z.string()), {
        description: 'Absent for a reward officer: the tipster’s own words may say who they are.',
      }),
      seenOn: z.string(),
      isEmployee: withMeta(z.optional(z.boolean()), {
        description: 'Absent for a reward officer, who sees nothing else about the tipster.',
      }),
      wantsReward: z.boolean(),
      hasContact: withMeta(z.boolean(), {
        description: 'Whether a contact was left; only the reward officer may read it.',
      }),
      location: z.optional(sharedLocationSchema),
      photoKeys: z.array(z.string()),
      /** Short-lived read URLs of the photos, by key (GET of the tip only). */
      photoUrls: z.optional(z.record(z.string(), z.string())),
      /** The same photos' thumbnails (192 px squares), by the photo's key. */
      thumbnailUrls: z.optional(z.record(z.string(), z.string())),
      messages: z.array(tipMessageSchema),
      timeline: z.array(tipTimelineEntrySchema),
    }),
    {
      channel: z.enum(['web', 'hotline', 'letter', 'visit']),
      revision: z.number().check(z.int()),
      runningLimit: z.optional(z.object({ limit: z.string(), deadline: z.string() })),
      acceptedAt: z.optional(z.string()),
      verifyDeadline: z.optional(z.string()),
      extensionUsed: z.boolean(),
      finding: z.optional(z.enum(['substantiated', 'unsubstantiated'])),
      findingNote: z.optional(z.string()),
      hazardId: z.optional(z.string()),
      outcome: z.optional(tipOutcomeSchema),
      reward: z.optional(tipRewardSchema),
      /**
       * The deadline to tell the tipster of a reward due (the approval is the notice):
       * `overdue` when it passed first; `givenAt` the approval; `reminderAt` when the reward
       * officers were reminded; `overdueAt` when the lifecycle recorded it passed.
       */
      rewardNotice: z.optional(
        z.object({
          dueBy: z.string(),
          overdue: z.boolean(),
          givenAt: z.optional(z.string()),
          reminderAt: z.optional(z.string()),
          overdueAt: z.optional(z.string()),
        }),
      ),
      /** Each opening of the sealed phone to deliver the claim reminder: when, by what. */
      contactOpenings: z.optional(
        z.array(z.object({ at: z.string(), by: z.string(), purpose: z.string() })),
      ),
      /** Tips merged into this one and sent jointly with it: they share its reward. */
      jointTipIds: z.optional(z.array(z.string())),
      refusal: z.optional(z.object({ reason: z.string(), note: z.optional(z.string()) })),
      referredTo: z.optional(z.string()),
      mergedInto: z.optional(z.string()),
      feedback: z.optional(z.object({ text: z.string(), at: z.string() })),
    },
  ),
  { id: 'TipForOfficer' },
);

/** A record id (a tip's, a hazard's): 26 characters of base32. */
const tipId = z.string().check(z.regex(/^[a-z2-7]{26}$/));
const triageNote = text({ min: 1, max: 1000, multiline: true });

export const tipCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('accept') }),
  z.strictObject({
    type: z.literal('refuse'),
    reason: z.enum(['duplicate', 'no_target_or_facts', 'opinion_or_request', 'other_department']),
    note: z.optional(triageNote),
  }),
  z.strictObject({
    type: z.literal('refer'),
    department: text({ min: 2, max: 100 }),
    note: z.optional(triageNote),
  }),
  z.strictObject({
    type: z.literal('merge'),
    intoTipId: tipId,
  }),
  z.strictObject({ type: z.literal('start_investigation') }),
  z.strictObject({
    type: z.literal('record_finding'),
    finding: z.enum(['substantiated', 'unsubstantiated']),
    note: triageNote,
    hazardId: z.optional(tipId),
  }),
  z.strictObject({
    type: z.literal('approve_extension'),
    days: z.number().check(z.int(), z.gte(1), z.lte(30)),
    reason: triageNote,
  }),
  z.strictObject({
    type: z.literal('give_feedback'),
    text: text({ min: 2, max: 2000, multiline: true }),
  }),
  z.strictObject({
    type: z.literal('record_outcome'),
    outcome: caseOutcomeSchema,
    documentNumber: withMeta(text({ min: 1, max: 100 }), { description: '文书编号' }),
  }),
  z.strictObject({
    type: z.literal('compute_reward'),
    adjustedAmountFen: z.optional(fen),
    reason: z.optional(triageNote),
  }),
  z.strictObject({ type: z.literal('approve_reward') }),
  z.strictObject({
    type: z.literal('record_joint_tipsters'),
    // The tips merged into this one that were sent jointly with it ([] clears).
    tipIds: z.array(tipId).check(z.maxLength(tipLimits.jointTipsters)),
  }),
  z.strictObject({
    type: z.literal('record_payment'),
    paidOn: z.iso.date(said('日期格式应为 YYYY-MM-DD。', 'The date must be YYYY-MM-DD.')),
    voucherNumber: withMeta(text({ min: 1, max: 100 }), { description: '凭证编号' }),
    claimCode: withMeta(z.optional(z.string().check(z.maxLength(32))), {
      description: 'For a claim in person: the code the claimant shows.',
    }),
  }),
]);

export const giveTipCommandSchema = withMeta(
  z.strictObject({
    idempotencyKey,
    expectedRevision: z.number().check(z.int(), z.gte(1), z.lte(maxRecordVersion)),
    command: tipCommandSchema,
  }),
  { id: 'TipCommandRequest' },
);

/**
 * A tip's possible duplicates among all tips of its jurisdiction (issue 14): those with the
 * same enterprise or address, found by the index (duplicates.ts), with why each looks alike.
 */
export const possibleDuplicatesSchema = withMeta(
  z.object({
    possibleDuplicates: z.array(
      z.object({
        tip: tipSummarySchema,
        reasons: z.array(z.enum(['enterprise', 'address', 'text'])),
      }),
    ),
  }),
  { id: 'PossibleDuplicates' },
);
