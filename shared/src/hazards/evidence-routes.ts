import * as z from 'zod/mini';
import type { RouteDefinition } from '../api/route-definition.ts';
import { code, idempotencyKey, said, withMeta } from '../api/validation.ts';
import { maxUploadFormsPerRequest } from './evidence.ts';
import { hazardIdSchema, hazardUploadFormSchema } from './schemas.ts';

const exampleHazardId = 'bcdefghijklmnopqrstuvwxyza';

/** Forms for a hazard's photos: for one being recorded (its key or tip), or one recorded. */
export const requestHazardPhotoUploadsSchema = withMeta(
  z
    .strictObject({
      jurisdiction: code('cq-gecheng'),
      count: z
        .number()
        .check(
          z.int(),
          z.gte(1),
          z.lte(
            maxUploadFormsPerRequest,
            said(
              `一次最多上传 ${maxUploadFormsPerRequest} 张照片。`,
              `At most ${maxUploadFormsPerRequest} photos at a time.`,
            ),
          ),
        ),
      /** The hazard about to be recorded: the idempotency key its record request carries… */
      idempotencyKey: z.optional(idempotencyKey),
      /** …or the tip it is recorded from; or a hazard already recorded (first of these). */
      tipId: z.optional(z.string().check(z.regex(/^[a-z2-7]{26}$/))),
      hazardId: z.optional(hazardIdSchema),
    })
    .check(
      z.refine(
        (value) => Boolean(value.idempotencyKey ?? value.tipId ?? value.hazardId),
        said(
          '请指明隐患：登记请求的幂等键、线索编号或隐患编号。',
          'Name the hazard: the record request’s idempotency key, a tip id, or a hazard id.',
        ),
      ),
    ),
  { id: 'RequestHazardPhotoUploads' },
);

export const hazardPhotoUploadsSchema = withMeta(
  z.object({ hazardId: hazardIdSchema, photoUploads: z.array(hazardUploadFormSchema) }),
  { id: 'HazardPhotoUploads' },
);

/**
 * Upload forms for an officer's photos of a hazard (evidence.ts): a file of its own so that
 * the other hazard functions bundle none of its schemas.
 */
export const hazardEvidenceRoutes = [
  {
    operationId: 'requestHazardPhotoUploads',
    method: 'POST',
    path: '/api/office/hazards/photo-uploads',
    handler: 'request-hazard-photo-uploads',
    table: { read: ['JURISDICTION', 'HAZARD#*', 'TIP#*'] },
    access: {
      kind: 'signedIn',
      roles: ['officer'],
      scope: { in: 'body', field: 'jurisdiction' },
    },
    uses: ['hazardEvidence'],
    summary: {
      zh: '获取隐患照片上传凭证（登记、核查时拍照）',
      en: "Upload forms for a hazard's photos (when recording or verifying it)",
    },
    request: {
      body: requestHazardPhotoUploadsSchema,
      example: {
        jurisdiction: 'cq-gecheng',
        count: 2,
        idempotencyKey: '3a1c2d3e-4b5a-4c6d-8e7f-901234567891',
      },
    },
    response: {
      status: 201,
      body: hazardPhotoUploadsSchema,
      example: {
        hazardId: exampleHazardId,
        photoUploads: [
          {
            photoKey: `evidence/${exampleHazardId}/0f8fad5b-d9cb-469f-a165-70867728950e`,
            url: 'https://evidence.example/',
            fields: {
              key: `incoming/hazards/${exampleHazardId}/0f8fad5b-d9cb-469f-a165-70867728950e`,
            },
          },
        ],
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
