import * as z from 'zod';
import {
  code,
  idempotencyKey,
  maxRecordVersion,
  mobileNumber,
  said,
  text,
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
export const sharedLocationSchema = z
  .object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    accuracyMeters: z.number().min(0).max(100_000).optional(),
    datum: z.literal('WGS84'),
  })
  .strict();

const tipFields = {
  idempotencyKey,
  jurisdiction: code('cq-gecheng'),
  unit: text({ max: tipLimits.unit }).optional(),
  industry: code('fire'),
  enterprise: text({ max: tipLimits.enterprise }).optional(),
  address: text(tipLimits.address),
  description: text({ ...tipLimits.description, multiline: true }),
  seenOn: z.iso.date(said('日期格式应为 YYYY-MM-DD。', 'The date must be YYYY-MM-DD.')),
  isEmployee: z.boolean(),
  wantsReward: z.boolean(),
  contactPhone: mobileNumber.optional(),
  location: sharedLocationSchema.optional(),
  photoCount: z.number().int().min(0).max(maxPhotosAtReport),
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

export const createTipSchema = z
  .object(tipFields)
  .strict()
  .refine(...rewardNeedsPhone)
  .meta({ id: 'CreateTip' });
export type CreateTip = z.infer<typeof createTipSchema>;

/** A tip that came by the 12350 hotline, by letter or in person, entered by an officer. */
export const officeTipSchema = z
  .object({ ...tipFields, channel: z.enum(['hotline', 'letter', 'visit']) })
  .strict()
  .refine(...rewardNeedsPhone)
  .meta({ id: 'OfficeTip' });

export const uploadFormSchema = z
  .object({
    photoId: z.string(),
    url: z.string(),
    fields: z.record(z.string(), z.string()),
  })
  .meta({
    id: 'UploadForm',
    description: 'POST as multipart/form-data: these fields, then "file".',
  });

export const tipCreatedSchema = z
  .object({
    receipt: z.string().regex(new RegExp(`^\\d{${receiptLength}}$`)),
    receivedAt: z.string(),
    photoUploads: z.array(uploadFormSchema),
    duplicate: z.boolean().describe('True when this was a retry of a tip already received.'),
  })
  .meta({ id: 'TipCreated' });

export const receiptSchema = z
  .string()
  .max(64)
  .meta({ description: 'The receipt, 18 digits; spaces, dashes and full-width digits accepted.' });

export const tipLookupSchema = z
  .object({ receipt: receiptSchema })
  .strict()
  .meta({ id: 'TipLookup' });

export const tipMessageSchema = z
  .object({
    messageId: z.string(),
    at: z.string(),
    from: z.enum(['office', 'tipster']),
    text: z.string(),
    inReplyTo: z.string().optional(),
  })
  .meta({ id: 'TipMessage' });

export const bilingualSchema = z.object({ zh: z.string(), en: z.string() });

export const tipTimelineEntrySchema = z
  .object({
    at: z.string(),
    status: tipStatusSchema,
    reason: bilingualSchema.optional(),
    hazardStage: z.enum(['recorded', 'rectifying', 'verifying', 'closed']).optional(),
  })
  .meta({ id: 'TipTimelineEntry' });

/** What the holder of a receipt sees: nothing about who sent it, nothing internal. */
export const tipForTipsterSchema = z
  .object({
    status: tipStatusSchema,
    receivedAt: z.string(),
    jurisdiction: z.object({ code: z.string(), zh: z.string(), en: z.string() }),
    industry: z.string(),
    description: z.string(),
    timeline: z.array(tipTimelineEntrySchema),
    messages: z.array(tipMessageSchema),
    openQuestions: z.number().int(),
    photos: z.number().int().describe('How many photos arrived and were kept.'),
    photoSlots: z
      .array(
        z.object({
          photoId: z.string(),
          status: z.enum(['waiting', 'arrived', 'refused']),
          reason: bilingualSchema.optional().describe('Why a refused photo was not kept.'),
        }),
      )
      .describe('Each photo the tip was given a form for: arrived, refused (and why), or waiting.'),
  })
  .meta({ id: 'TipForTipster' });

export const postTipsterMessageSchema = z
  .object({
    receipt: receiptSchema,
    idempotencyKey,
    text: text({ ...tipLimits.message, multiline: true }),
    inReplyTo: z.string().max(64).optional(),
  })
  .strict()
  .meta({ id: 'PostTipsterMessage' });

export const requestPhotoUploadsSchema = z
  .object({ receipt: receiptSchema, count: z.number().int().min(1).max(maxPhotosAtReport) })
  .strict()
  .meta({ id: 'RequestPhotoUploads' });

export const photoUploadsSchema = z
  .object({ photoUploads: z.array(uploadFormSchema) })
  .meta({ id: 'PhotoUploads' });

export const tipIdParameters = z.object({
  tipId: z
    .string()
    .regex(/^[a-z2-7]{26}$/)
    .meta({ description: 'Tip id 线索编号', example: 'abcdefghijklmnopqrstuvwxyz' }),
});

export const askQuestionSchema = z
  .object({ idempotencyKey, text: text({ min: 2, max: 1000, multiline: true }) })
  .strict()
  .meta({ id: 'AskQuestion' });

export const tipSummarySchema = z
  .object({
    tipId: z.string(),
    status: tipStatusSchema,
    receivedAt: z.string(),
    jurisdiction: z.string(),
    industry: z.string(),
    enterprise: z.string().optional(),
    address: z.string(),
    excerpt: z.string(),
    photos: z.number().int(),
    openQuestions: z.number().int(),
    acceptDeadline: z.string().describe('When acceptance is due (3 working days by default).'),
  })
  .meta({ id: 'TipSummary' });

export const tipListQuerySchema = z.object({
  jurisdiction: code('cq-gecheng'),
  status: tipStatusSchema.default('received'),
  cursor: z.string().max(512).optional(),
});

export const tipListSchema = z
  .object({ tips: z.array(tipSummarySchema), nextCursor: z.string().optional() })
  .meta({ id: 'TipList' });

export const tipForOfficerSchema = tipSummarySchema
  .extend({
    unit: z.string().optional(),
    description: z.string(),
    seenOn: z.string(),
    isEmployee: z.boolean(),
    wantsReward: z.boolean(),
    hasContact: z
      .boolean()
      .describe('Whether a contact was left; only the reward officer may read it.'),
    location: sharedLocationSchema.optional(),
    photoKeys: z.array(z.string()),
    messages: z.array(tipMessageSchema),
    timeline: z.array(tipTimelineEntrySchema),
  })
  .extend({
    channel: z.enum(['web', 'hotline', 'letter', 'visit']),
    revision: z.number().int(),
    runningLimit: z.object({ limit: z.string(), deadline: z.string() }).optional(),
    acceptedAt: z.string().optional(),
    verifyDeadline: z.string().optional(),
    extensionUsed: z.boolean(),
    finding: z.enum(['substantiated', 'unsubstantiated']).optional(),
    findingNote: z.string().optional(),
    hazardId: z.string().optional(),
    refusal: z.object({ reason: z.string(), note: z.string().optional() }).optional(),
    referredTo: z.string().optional(),
    mergedInto: z.string().optional(),
    feedback: z.object({ text: z.string(), at: z.string() }).optional(),
  })
  .meta({ id: 'TipForOfficer' });

const triageNote = text({ min: 1, max: 1000, multiline: true });

export const tipCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accept') }).strict(),
  z
    .object({
      type: z.literal('refuse'),
      reason: z.enum(['duplicate', 'no_target_or_facts', 'opinion_or_request', 'other_department']),
      note: triageNote.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('refer'),
      department: text({ min: 2, max: 100 }),
      note: triageNote.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('merge'),
      intoTipId: z.string().regex(/^[a-z2-7]{26}$/),
    })
    .strict(),
  z.object({ type: z.literal('start_investigation') }).strict(),
  z
    .object({
      type: z.literal('record_finding'),
      finding: z.enum(['substantiated', 'unsubstantiated']),
      note: triageNote,
      hazardId: z
        .string()
        .regex(/^[a-z2-7]{26}$/)
        .optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('approve_extension'),
      days: z.number().int().min(1).max(30),
      reason: triageNote,
    })
    .strict(),
  z
    .object({
      type: z.literal('give_feedback'),
      text: text({ min: 2, max: 2000, multiline: true }),
    })
    .strict(),
]);

export const giveTipCommandSchema = z
  .object({
    idempotencyKey,
    expectedRevision: z.number().int().min(1).max(maxRecordVersion),
    command: tipCommandSchema,
  })
  .strict()
  .meta({ id: 'TipCommandRequest' });
