import * as z from 'zod/mini';
import {
  code,
  idempotencyKey,
  maxRecordVersion,
  mobileNumber,
  said,
  text,
  withMeta,
} from '../api/validation.ts';
import { tipLimits } from './limits.ts';
import { receiptLength } from './receipt.ts';

/** Where a tip stands, as the tipster and the inbox see it. */
export const tipStatuses = [
  'received',
  'accepted',
  'refused',
  'referred',
  'merged',
  'investigating',
  'substantiated',
  'unsubstantiated',
  'closed',
] as const;
export const tipStatusSchema = z.enum(tipStatuses);
export type TipStatus = z.infer<typeof tipStatusSchema>;

export const maxPhotosAtReport = tipLimits.photosAtReport;
export const maxPhotosPerTip = tipLimits.photosPerTip;
export const photoContentTypes = tipLimits.photoTypes;
export const maxPhotoBytes = tipLimits.photoBytes;

/** The position the tipster chose to share, as the phone reported it (WGS-84). */
export const sharedLocationSchema = z.strictObject({
  latitude: z.number().check(z.gte(-90), z.lte(90)),
  longitude: z.number().check(z.gte(-180), z.lte(180)),
  accuracyMeters: z.optional(z.number().check(z.gte(0), z.lte(100_000))),
  datum: z.literal('WGS84'),
});

const tipFields = {
  idempotencyKey,
  jurisdiction: code('cq-gecheng'),
  unit: z.optional(text({ max: tipLimits.unit })),
  industry: code('fire'),
  enterprise: z.optional(text({ max: tipLimits.enterprise })),
  address: text(tipLimits.address),
  description: text({ ...tipLimits.description, multiline: true }),
  seenOn: z.iso.date(said('日期格式应为 YYYY-MM-DD。', 'The date must be YYYY-MM-DD.')),
  isEmployee: z.boolean(),
  wantsReward: z.boolean(),
  contactPhone: z.optional(mobileNumber),
  location: z.optional(sharedLocationSchema),
  photoCount: z.number().check(z.int(), z.gte(0), z.lte(maxPhotosAtReport)),
};

const rewardNeedsPhone: [
  (tip: { wantsReward: boolean; contactPhone?: string | undefined }) => boolean,
  { error: string; path: string[] },
] = [
  (tip) => !tip.wantsReward || Boolean(tip.contactPhone),
  {
    ...said(
      '申请奖励需要留下手机号码，以便兑付时联系。',
      'To claim a reward, leave a mobile number.',
    ),
    path: ['contactPhone'],
  },
];

export const createTipSchema = withMeta(
  z.strictObject(tipFields).check(z.refine(...rewardNeedsPhone)),
  { id: 'CreateTip' },
);
export type CreateTip = z.infer<typeof createTipSchema>;

/** A tip that came by the 12350 hotline, by letter or in person, entered by an officer. */
export const officeTipSchema = withMeta(
  z
    .strictObject({ ...tipFields, channel: z.enum(['hotline', 'letter', 'visit']) })
    .check(z.refine(...rewardNeedsPhone)),
  { id: 'OfficeTip' },
);

export const uploadFormSchema = withMeta(
  z.object({
    photoId: z.string(),
    url: z.string(),
    fields: z.record(z.string(), z.string()),
  }),
  {
    id: 'UploadForm',
    description: 'POST as multipart/form-data: these fields, then "file".',
  },
);

export const tipCreatedSchema = withMeta(
  z.object({
    receipt: z.string().check(z.regex(new RegExp(`^\\d{${receiptLength}}$`))),
    receivedAt: z.string(),
    photoUploads: z.array(uploadFormSchema),
    duplicate: withMeta(z.boolean(), {
      description: 'True when this was a retry of a tip already received.',
    }),
  }),
  { id: 'TipCreated' },
);

export const receiptSchema = withMeta(z.string().check(z.maxLength(64)), {
  description: 'The receipt, 18 digits; spaces, dashes and full-width digits accepted.',
});

export const tipLookupSchema = withMeta(z.strictObject({ receipt: receiptSchema }), {
  id: 'TipLookup',
});

export const tipMessageSchema = withMeta(
  z.object({
    messageId: z.string(),
    at: z.string(),
    from: z.enum(['office', 'tipster']),
    text: z.string(),
    inReplyTo: z.optional(z.string()),
  }),
  { id: 'TipMessage' },
);

export const bilingualSchema = z.object({ zh: z.string(), en: z.string() });

export const tipTimelineEntrySchema = withMeta(
  z.object({
    at: z.string(),
    status: tipStatusSchema,
    reason: z.optional(bilingualSchema),
    hazardStage: z.optional(z.enum(['recorded', 'rectifying', 'verifying', 'closed'])),
  }),
  { id: 'TipTimelineEntry' },
);

/** What the holder of a receipt sees: nothing about who sent it, nothing internal. */
/** An approved reward as its tipster sees it (reward-claim.ts, rewardForTipster). */
export const claimStandings = ['awaiting_approval', 'open', 'claimed', 'paid', 'lapsed'] as const;
export const rewardForTipsterSchema = withMeta(
  z.object({
    amountFen: z.number().check(z.int()),
    rule: bilingualSchema,
    figures: bilingualSchema,
    adjusted: z.boolean(),
    approvedAt: z.string(),
    claimBy: withMeta(z.optional(z.string()), {
      description: 'The claim deadline: 24:00 CST of the last day to claim.',
    }),
    standing: z.enum(claimStandings),
    method: z.optional(z.enum(['in_person', 'bank_transfer'])),
    claimedAt: z.optional(z.string()),
    paidOn: z.optional(z.string()),
  }),
  { id: 'RewardForTipster' },
);

export const tipForTipsterSchema = withMeta(
  z.object({
    status: tipStatusSchema,
    receivedAt: z.string(),
    jurisdiction: z.object({ code: z.string(), zh: z.string(), en: z.string() }),
    industry: z.string(),
    description: z.string(),
    timeline: z.array(tipTimelineEntrySchema),
    messages: z.array(tipMessageSchema),
    openQuestions: z.number().check(z.int()),
    photos: withMeta(z.number().check(z.int()), {
      description: 'How many photos arrived and were kept.',
    }),
    photoSlots: withMeta(
      z.array(
        z.object({
          photoId: z.string(),
          status: z.enum(['waiting', 'arrived', 'refused']),
          reason: withMeta(z.optional(bilingualSchema), {
            description: 'Why a refused photo was not kept.',
          }),
        }),
      ),
      {
        description:
          'Each photo the tip was given a form for: arrived, refused (and why), or waiting.',
      },
    ),
    reward: z.optional(rewardForTipsterSchema),
  }),
  { id: 'TipForTipster' },
);

export const postTipsterMessageSchema = withMeta(
  z.strictObject({
    receipt: receiptSchema,
    idempotencyKey,
    text: text({ ...tipLimits.message, multiline: true }),
    inReplyTo: z.optional(z.string().check(z.maxLength(64))),
  }),
  { id: 'PostTipsterMessage' },
);

export const requestPhotoUploadsSchema = withMeta(
  z.strictObject({
    receipt: receiptSchema,
    count: z.number().check(z.int(), z.gte(1), z.lte(maxPhotosAtReport)),
  }),
  { id: 'RequestPhotoUploads' },
);

export const photoUploadsSchema = withMeta(z.object({ photoUploads: z.array(uploadFormSchema) }), {
  id: 'PhotoUploads',
});

export const tipIdParameters = z.object({
  tipId: withMeta(z.string().check(z.regex(/^[a-z2-7]{26}$/)), {
    description: 'Tip id 线索编号',
    example: 'abcdefghijklmnopqrstuvwxyz',
  }),
});

export const askQuestionSchema = withMeta(
  z.strictObject({ idempotencyKey, text: text({ min: 2, max: 1000, multiline: true }) }),
  { id: 'AskQuestion' },
);

export const tipSummarySchema = withMeta(
  z.object({
    tipId: z.string(),
    status: tipStatusSchema,
    receivedAt: z.string(),
    jurisdiction: z.string(),
    industry: z.string(),
    enterprise: z.optional(z.string()),
    address: z.string(),
    excerpt: z.string(),
    photos: z.number().check(z.int()),
    openQuestions: z.number().check(z.int()),
    acceptDeadline: withMeta(z.string(), {
      description: 'When acceptance is due (3 working days by default).',
    }),
  }),
  { id: 'TipSummary' },
);

export const tipListQuerySchema = z.object({
  jurisdiction: code('cq-gecheng'),
  status: z._default(tipStatusSchema, 'received'),
  cursor: z.optional(z.string().check(z.maxLength(512))),
});

export const tipListSchema = withMeta(
  z.object({ tips: z.array(tipSummarySchema), nextCursor: z.optional(z.string()) }),
  { id: 'TipList' },
);

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
  /** What the reward officer sees of the claim: never the code, never the sealed account. */
  claim: z.optional(
    z.object({
      method: z.enum(['in_person', 'bank_transfer']),
      claimedAt: z.string(),
      hasBankDetails: z.boolean(),
    }),
  ),
  /** The lifecycle's reminder before the claim deadline: recorded, not sent (no path). */
  claimReminder: z.optional(
    z.object({
      at: z.string(),
      dueAt: z.string(),
      claimBy: z.string(),
      late: z.boolean(),
      messaged: z.boolean(),
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
      description: z.string(),
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
      refusal: z.optional(z.object({ reason: z.string(), note: z.optional(z.string()) })),
      referredTo: z.optional(z.string()),
      mergedInto: z.optional(z.string()),
      feedback: z.optional(z.object({ text: z.string(), at: z.string() })),
    },
  ),
  { id: 'TipForOfficer' },
);

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
    intoTipId: z.string().check(z.regex(/^[a-z2-7]{26}$/)),
  }),
  z.strictObject({ type: z.literal('start_investigation') }),
  z.strictObject({
    type: z.literal('record_finding'),
    finding: z.enum(['substantiated', 'unsubstantiated']),
    note: triageNote,
    hazardId: z.optional(z.string().check(z.regex(/^[a-z2-7]{26}$/))),
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
