import * as z from 'zod/mini';
import type { RouteDefinition } from '../api/route-definition.ts';
import { code, withMeta } from '../api/validation.ts';
import { hazardStatuses } from './schemas.ts';

export const exposureQuerySchema = z.object({
  jurisdiction: code('cq-gecheng'),
  cursor: z.optional(z.string().check(z.maxLength(512))),
});

/** Exactly what the public sees of an exposed hazard (exposure.ts, exposedHazardView). */
export const exposedHazardSchema = z.strictObject({
  jurisdiction: z.string(),
  enterpriseName: z.optional(z.string()),
  place: z.string(),
  grade: z.enum(['general', 'major']),
  industry: z.string(),
  description: z.string(),
  foundOn: z.string(),
  measures: z.optional(z.string()),
  deadline: z.optional(z.string()),
  status: z.enum(hazardStatuses),
  closedAt: z.optional(z.string()),
  exposedAt: z.string(),
  documentNumber: z.string(),
  listedSupervision: z.optional(z.string()),
});

export const exposedHazardListSchema = withMeta(
  z.object({ hazards: z.array(exposedHazardSchema), nextCursor: z.optional(z.string()) }),
  {
    id: 'ExposedHazardList',
    description:
      "A jurisdiction's hazards a leader approved for public exposure (曝光), newest reported " +
      'first. Nothing names a tip, a tipster or an officer.',
  },
);

/** The public exposure page's data: no sign-in; a partition per jurisdiction, no index. */
export const exposureRoutes = [
  {
    operationId: 'listExposedHazards',
    method: 'GET',
    path: '/api/public/exposure',
    handler: 'list-exposed-hazards',
    access: { kind: 'public' },
    table: { read: ['EXPOSED#*', 'HAZARD#*'] },
    summary: {
      zh: '曝光台：经领导批准公开曝光的隐患（按辖区）',
      en: 'Public exposure: hazards a leader approved for exposure, by jurisdiction',
    },
    query: { schema: exposureQuerySchema, example: { jurisdiction: 'cq-gecheng' } },
    response: {
      status: 200,
      body: exposedHazardListSchema,
      example: {
        hazards: [
          {
            jurisdiction: 'cq-gecheng',
            enterpriseName: '歌城物流有限公司',
            place: '东门路 18 号仓库',
            grade: 'major',
            industry: 'fire',
            description: '仓库安全出口被货物堵死，疏散通道不畅。',
            foundOn: '2026-11-22',
            measures: '搬离货物，恢复疏散通道',
            deadline: '2026-12-04T16:00:00.000Z',
            status: 'rectifying',
            exposedAt: '2027-01-10T02:00:00.000Z',
            documentNumber: '歌城安委曝〔2027〕1号',
          },
        ],
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
