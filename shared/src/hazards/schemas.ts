import * as z from 'zod';
import { code, idempotencyKey, maxRecordVersion, said, text } from '../api/validation.ts';
import { usccSchema } from '../enterprises/enterprise.ts';

/**
 * The hazard API's shapes, shared by the office console (forms) and the handlers
 * (validation), so that the browser and the server refuse the same input in the same words.
 */
export const hazardStatuses = ['reported', 'rectifying', 'verifying', 'closed'] as const;
export const ledgerStatuses = [...hazardStatuses, 'closed_look_back'] as const;

export const hazardIdSchema = z
  .string()
  .regex(/^[a-z2-7]{26}$/)
  .meta({ description: 'Hazard id 隐患编号', example: 'bcdefghijklmnopqrstuvwxyza' });
export const hazardIdParameters = z.object({ hazardId: hazardIdSchema });

const cstDateSchema = z.iso.date(said('日期格式应为 YYYY-MM-DD。', 'The date must be YYYY-MM-DD.'));

export const deadlineInputSchema = z.union([
  z.object({ date: cstDateSchema }).strict(),
  z
    .object({
      workingDays: z
        .number()
        .int()
        .min(1, said('至少 1 个工作日。', 'At least 1 working day.'))
        .max(365, said('最多 365 个工作日。', 'At most 365 working days.')),
    })
    .strict(),
]);

const part = text({ min: 2, max: 1000, multiline: true });
export const rectificationPlanSchema = z
  .object({
    goalAndTasks: part,
    methodsAndMeasures: part,
    fundsAndMaterials: part,
    responsibleBodyAndPeople: part,
    deadlineAndRequirements: part,
    safetyAndEmergencyMeasures: part,
  })
  .strict()
  .meta({ id: 'RectificationPlan', description: '治理方案（六项内容）' });

const note = text({ min: 1, max: 2000, multiline: true });
const evidenceKeys = z.array(z.string().regex(/^evidence\/[a-z2-7]{26}\/[a-z0-9-]{1,40}$/)).max(12);

export const hazardCommandSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('start_rectification'),
      responsible: text({ min: 1, max: 100 }),
      measures: text({ min: 2, max: 2000, multiline: true }),
      deadline: deadlineInputSchema,
      plan: rectificationPlanSchema.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('request_extension'),
      deadline: deadlineInputSchema,
      reason: text({ min: 2, max: 1000, multiline: true }),
    })
    .strict(),
  z.object({ type: z.literal('approve_extension') }).strict(),
  z.object({ type: z.literal('refuse_extension'), reason: note }).strict(),
  z.object({ type: z.literal('submit_evidence'), note, photoKeys: evidenceKeys }).strict(),
  z.object({ type: z.literal('pass_verification'), note, onSite: z.boolean() }).strict(),
  z
    .object({
      type: z.literal('fail_verification'),
      reasons: note,
      newDeadline: deadlineInputSchema,
    })
    .strict(),
  z.object({ type: z.literal('close'), note }).strict(),
  z.object({ type: z.literal('reopen'), reason: note, newDeadline: deadlineInputSchema }).strict(),
  z.object({ type: z.literal('record_look_back'), note, holding: z.boolean() }).strict(),
]);

export const giveHazardCommandSchema = z
  .object({
    idempotencyKey,
    /** The revision the officer saw: if someone acted since, the answer is 409. */
    expectedRevision: z.number().int().min(1).max(maxRecordVersion),
    command: hazardCommandSchema,
  })
  .strict()
  .meta({ id: 'HazardCommandRequest' });

const hazardFactsFields = {
  industry: code('fire'),
  enterprise: usccSchema,
  place: text({ min: 2, max: 200 }),
  grade: z.enum(['general', 'major']),
  standard: z
    .object({ ref: text({ min: 2, max: 200 }), clause: text({ min: 1, max: 50 }) })
    .strict()
    .optional(),
  description: text({ min: 5, max: 2000, multiline: true }),
};

const majorCitesStandard = (value: { grade: string; standard?: unknown }) =>
  value.grade === 'general' || value.standard !== undefined;
const majorCitesStandardMessage = {
  ...said(
    '重大事故隐患须引用判定标准及条款。',
    'A major hazard must cite its determination standard and clause.',
  ),
  path: ['standard'],
};

export const recordHazardSchema = z
  .object({
    idempotencyKey,
    jurisdiction: code('cq-gecheng'),
    source: z.enum(['inspection', 'self_report', 'tip']),
    tipId: z
      .string()
      .regex(/^[a-z2-7]{26}$/)
      .optional(),
    ...hazardFactsFields,
  })
  .strict()
  .refine(majorCitesStandard, majorCitesStandardMessage)
  .refine((value) => value.source !== 'tip' || value.tipId !== undefined, {
    ...said('来自举报的隐患须关联线索编号。', 'A hazard from a tip must name the tip.'),
    path: ['tipId'],
  })
  .meta({ id: 'RecordHazardRequest' });

/** One spreadsheet row, as the browser posts it: its own identity makes re-imports no-ops. */
export const importRowSchema = z
  .object({
    rowId: text({ min: 1, max: 64, normalization: 'NFKC' }),
    ...hazardFactsFields,
    responsible: text({ min: 1, max: 100 }).optional(),
    measures: text({ min: 2, max: 2000, multiline: true }).optional(),
    deadline: cstDateSchema.optional(),
  })
  .strict()
  .refine(majorCitesStandard, majorCitesStandardMessage);

export const maxImportRowsPerRequest = 200;

export const importHazardsSchema = z
  .object({
    jurisdiction: code('cq-gecheng'),
    source: z.enum(['self_report', 'inspection']),
    // Rows are checked one by one in the handler: a bad row is reported, not fatal.
    rows: z.array(z.unknown()).min(1).max(maxImportRowsPerRequest),
  })
  .strict()
  .meta({ id: 'ImportHazardsRequest' });

const issueSchema = z.object({
  path: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
});

export const importResultSchema = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int(),
        rowId: z.string().optional(),
        outcome: z.enum(['stored', 'already_stored', 'refused']),
        hazardId: z.string().optional(),
        issues: z.array(issueSchema).optional(),
      }),
    ),
  })
  .meta({ id: 'ImportHazardsResult' });

export const hazardListQuerySchema = z.object({
  jurisdiction: code('cq-gecheng'),
  status: z.enum(ledgerStatuses).default('reported'),
  cursor: z.string().max(512).optional(),
});

export const hazardSummarySchema = z.object({
  hazardId: z.string(),
  status: z.enum(hazardStatuses),
  source: z.enum(['inspection', 'self_report', 'tip']),
  grade: z.enum(['general', 'major']),
  jurisdiction: z.string(),
  industry: z.string(),
  enterprise: z.string(),
  place: z.string(),
  excerpt: z.string(),
  reportedAt: z.string(),
  deadline: z.string().optional(),
  round: z.number().int().optional(),
  pendingExtension: z.boolean(),
  escalations: z.number().int(),
});

export const hazardListSchema = z
  .object({ hazards: z.array(hazardSummarySchema), nextCursor: z.string().optional() })
  .meta({ id: 'HazardList' });

const actorSchema = z.object({
  kind: z.string(),
  id: z.string(),
  name: z.string().optional(),
});

export const hazardDetailSchema = z
  .object({
    hazard: hazardSummarySchema.extend({
      description: z.string(),
      standard: z.object({ ref: z.string(), clause: z.string() }).optional(),
      tipId: z.string().optional(),
      responsible: z.string().optional(),
      measures: z.string().optional(),
      plan: rectificationPlanSchema.optional(),
      pendingExtensionDetail: z
        .object({ deadline: z.string(), reason: z.string(), requestedBy: z.string() })
        .optional(),
      verifiedAt: z.string().optional(),
      closedAt: z.string().optional(),
      lookBack: z
        .object({ dueAt: z.string(), status: z.enum(['scheduled', 'due', 'done']) })
        .optional(),
      enterpriseTold: z.boolean(),
    }),
    revision: z.number().int(),
    timeline: z.array(
      z.object({
        sequence: z.number().int(),
        at: z.string(),
        type: z.string(),
        actor: actorSchema,
        data: z.unknown(),
        hash: z.string(),
      }),
    ),
    chain: z.object({
      valid: z.boolean(),
      head: z.string().optional(),
      brokenAt: z.number().optional(),
      reason: z.string().optional(),
    }),
  })
  .meta({ id: 'HazardDetail' });

export const hazardConflictSchema = z
  .object({ code: z.literal('conflict'), message: z.object({ zh: z.string(), en: z.string() }) })
  .passthrough();

export const enterpriseLinkSchema = z
  .object({ token: z.string(), expiresAt: z.string() })
  .meta({ id: 'EnterpriseLink' });

export const enterpriseLinkRequestSchema = z
  .object({ validDays: z.number().int().min(1).max(180).default(60) })
  .strict();

export type RecordHazardRequest = z.output<typeof recordHazardSchema>;
export type HazardCommandRequest = z.output<typeof giveHazardCommandSchema>;
