import * as z from 'zod';
import { principalSchema } from '../auth/principal.ts';
import { maxRecordVersion, text } from './validation.ts';

export const healthSchema = z
  .object({
    ok: z.boolean(),
    now: z
      .string()
      .optional()
      .describe("The system's time: real time on AWS; the embedded cloud's clock, fast or not."),
    version: z.object({
      code: z.string().describe('Version of the deployed code (package version + commit).'),
      data: z
        .string()
        .nullable()
        .describe('Version of the seed data loaded in the table, null if none yet.'),
    }),
    warnings: z
      .array(
        z.object({
          code: z.string(),
          year: z.number().int().optional(),
          message: z.object({ zh: z.string(), en: z.string() }),
        }),
      )
      .describe('What administrators must act on, e.g. a year without its holiday calendar.'),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof healthSchema>;

export const jurisdictionSchema = z
  .object({
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    level: z.enum(['district', 'town', 'subdistrict', 'development_zone']),
    parent: z.string(),
    units: z.array(z.string()),
    point: z
      .object({ latitude: z.number(), longitude: z.number(), datum: z.literal('WGS84') })
      .optional()
      .describe('Approximate centre, to suggest the nearest jurisdiction to a phone.'),
  })
  .meta({ id: 'Jurisdiction' });
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

/** A jurisdiction as stored: with the version that conditional updates check. */
export const jurisdictionRecordSchema = jurisdictionSchema
  .extend({ version: z.number().int().min(1) })
  .meta({ id: 'JurisdictionRecord' });
export type JurisdictionRecord = z.infer<typeof jurisdictionRecordSchema>;

export const jurisdictionListSchema = z
  .object({ jurisdictions: z.array(jurisdictionRecordSchema) })
  .meta({ id: 'JurisdictionList' });

// Names typed by administrators: full-width letters and digits become half-width.
const displayName = (max: number) => text({ min: 1, max, normalization: 'NFKC' });

export const jurisdictionCodeParameters = z.object({
  code: z
    .string()
    .regex(/^[a-z0-9-]{2,64}$/)
    .meta({ description: 'Jurisdiction code 辖区代码', example: 'cq-gecheng' }),
});

/** An administrator's edit of a jurisdiction's names and units (村/社区). */
export const updateJurisdictionSchema = z
  .object({
    zh: displayName(60),
    en: displayName(120),
    units: z.array(displayName(40)).max(200),
    expectedVersion: z.number().int().min(1).max(maxRecordVersion),
  })
  .strict()
  .meta({ id: 'UpdateJurisdiction' });
export type UpdateJurisdiction = z.infer<typeof updateJurisdictionSchema>;

export const meSchema = z.object({ principal: principalSchema }).meta({ id: 'Me' });

export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string() })
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document.' });
