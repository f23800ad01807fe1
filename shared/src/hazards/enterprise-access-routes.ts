import * as z from 'zod/mini';
import type { RouteDefinition } from '../api/route-definition.ts';
import { idempotencyKey, text, withMeta } from '../api/validation.ts';
import { maxUploadFormsPerRequest } from './evidence.ts';
import { evidenceKeys, hazardUploadFormSchema, rectificationPlanSchema } from './schemas.ts';

const exampleHazardId = 'bcdefghijklmnopqrstuvwxyza';
const exampleToken =
  'eyJoIjoiYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5emEiLCJlIjoxNzk5OTk5OTk5LCJ2IjoxfQ.c2lnbmF0dXJl';
const examplePlan = {
  goalAndTasks: '清理安全出口，恢复疏散通道畅通',
  methodsAndMeasures: '搬离堵塞货物，划设禁止堆放标线',
  fundsAndMaterials: '企业自筹 2 万元',
  responsibleBodyAndPeople: '企业安全科，负责人王某',
  deadlineAndRequirements: '12 月 31 日前完成并自查',
  safetyAndEmergencyMeasures: '整改期间专人值守，配备灭火器',
};

export const enterpriseUpdateSchema = withMeta(
  z.intersection(
    z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('plan'),
        plan: rectificationPlanSchema,
        photoKeys: z.optional(evidenceKeys),
      }),
      z.strictObject({
        kind: z.literal('progress'),
        note: text({ min: 2, max: 2000, multiline: true }),
        photoKeys: z.optional(evidenceKeys),
      }),
      z.strictObject({
        kind: z.literal('evidence'),
        note: text({ min: 2, max: 2000, multiline: true }),
        photoKeys: z.optional(evidenceKeys),
      }),
    ]),
    z.object({ token: z.string().check(z.minLength(10), z.maxLength(1024)), idempotencyKey }),
  ),
  { id: 'EnterpriseUpdate' },
);

export const enterpriseViewSchema = withMeta(
  z.object({
    hazardId: z.string(),
    status: z.string(),
    grade: z.enum(['general', 'major']),
    place: z.string(),
    description: z.string(),
    standard: z.optional(z.object({ ref: z.string(), clause: z.string() })),
    deadline: z.optional(z.string()),
    measures: z.optional(z.string()),
    plan: z.optional(rectificationPlanSchema),
    submittedPlan: z.optional(rectificationPlanSchema),
    progress: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(['plan', 'progress', 'evidence']),
        note: z.string(),
        photoKeys: z.optional(z.array(z.string())),
      }),
    ),
    /** Read URLs of the enterprise's own photos (never the office's), by key. */
    photoUrls: z.optional(z.record(z.string(), z.string())),
    /** The same photos' thumbnails (192 px squares), by the photo's key. */
    thumbnailUrls: z.optional(z.record(z.string(), z.string())),
    /** Forms for new photos, when asked for (photoUploads in the request). */
    photoUploads: z.optional(z.array(hazardUploadFormSchema)),
  }),
  { id: 'EnterpriseHazardView' },
);

/**
 * The enterprise's routes: its hazard and its updates, opened with the link the office
 * sent (a token, no sign-in). A file of their own so that the office's hazard functions
 * bundle none of them, and theirs none of the office's.
 */
export const enterpriseAccessRoutes = [
  {
    operationId: 'viewEnterpriseHazard',
    method: 'POST',
    path: '/api/enterprise/hazard',
    handler: 'view-enterprise-hazard',
    access: { kind: 'public' },
    table: { read: ['HAZARD#*'] },
    uses: ['receiptKey', 'hazardEvidence'],
    summary: {
      zh: '企业凭链接查看本隐患及整改要求',
      en: 'The enterprise sees its hazard through its link',
    },
    request: {
      body: z.strictObject({
        token: z.string().check(z.minLength(10), z.maxLength(1024)),
        /** Forms for this many new photos, for the enterprise's next update. */
        photoUploads: z.optional(
          z.number().check(z.int(), z.gte(1), z.lte(maxUploadFormsPerRequest)),
        ),
      }),
      example: { token: exampleToken },
    },
    response: {
      status: 200,
      body: enterpriseViewSchema,
      example: {
        hazardId: exampleHazardId,
        status: 'rectifying',
        grade: 'major',
        place: '东门路 18 号仓库',
        description: '仓库安全出口被货物堵死，疏散通道不畅。',
        progress: [],
      },
    },
  },
  {
    operationId: 'submitEnterpriseUpdate',
    method: 'POST',
    path: '/api/enterprise/hazard/updates',
    handler: 'submit-enterprise-update',
    access: { kind: 'public' },
    table: { read: ['POLICY'], write: ['HAZARD#*'] },
    uses: ['receiptKey', 'lifecycle', 'hazardEvidence'],
    summary: {
      zh: '企业提交治理方案、整改进展或整改完成情况',
      en: 'The enterprise submits its plan, progress or evidence of the fix',
    },
    request: {
      body: enterpriseUpdateSchema,
      example: {
        token: exampleToken,
        idempotencyKey: '7c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
        kind: 'plan',
        plan: examplePlan,
      },
    },
    response: {
      status: 201,
      body: enterpriseViewSchema,
      example: {
        hazardId: exampleHazardId,
        status: 'reported',
        grade: 'major',
        place: '东门路 18 号仓库',
        description: '仓库安全出口被货物堵死，疏散通道不畅。',
        submittedPlan: examplePlan,
        progress: [{ at: '2026-11-23T02:00:00.000Z', kind: 'plan', note: '清理安全出口' }],
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
