import * as z from 'zod/mini';
import { principalSchema } from '../auth/principal.ts';
import { maxRecordVersion, said, text, withMeta } from './validation.ts';

export const healthSchema = withMeta(
  z.object({
    ok: z.boolean(),
    now: withMeta(z.optional(z.string()), {
      description: "The system's time: real time on AWS; the embedded cloud's clock, fast or not.",
    }),
    version: z.object({
      code: withMeta(z.string(), {
        description: 'Version of the deployed code (package version + commit).',
      }),
      data: withMeta(z.nullable(z.string()), {
        description: 'Version of the seed data loaded in the table, null if none yet.',
      }),
    }),
    warnings: withMeta(
      z.array(
        z.object({
          code: z.string(),
          year: z.optional(z.number().check(z.int())),
          message: z.object({ zh: z.string(), en: z.string() }),
        }),
      ),
      { description: 'What administrators must act on, e.g. a year without its holiday calendar.' },
    ),
  }),
  { id: 'Health' },
);
export type Health = z.infer<typeof healthSchema>;

export const jurisdictionSchema = withMeta(
  z.object({
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    level: z.enum(['district', 'town', 'subdistrict', 'development_zone']),
    parent: z.string(),
    units: z.array(z.string()),
    point: withMeta(
      z.optional(
        z.object({ latitude: z.number(), longitude: z.number(), datum: z.literal('WGS84') }),
      ),
      { description: 'Approximate centre, to suggest the nearest jurisdiction to a phone.' },
    ),
  }),
  { id: 'Jurisdiction' },
);
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

/** A jurisdiction as stored: with the version that conditional updates check. */
export const jurisdictionRecordSchema = withMeta(
  z.extend(jurisdictionSchema, { version: z.number().check(z.int(), z.gte(1)) }),
  { id: 'JurisdictionRecord' },
);
export type JurisdictionRecord = z.infer<typeof jurisdictionRecordSchema>;

export const jurisdictionListSchema = withMeta(
  z.object({ jurisdictions: z.array(jurisdictionRecordSchema) }),
  { id: 'JurisdictionList' },
);

// Names typed by administrators: full-width letters and digits become half-width.
const displayName = (max: number) => text({ min: 1, max, normalization: 'NFKC' });

export const jurisdictionCodeParameters = z.object({
  code: withMeta(z.string().check(z.regex(/^[a-z0-9-]{2,64}$/)), {
    description: 'Jurisdiction code 辖区代码',
    example: 'cq-gecheng',
  }),
});

/** An administrator's edit of a jurisdiction's names and units (村/社区). */
export const updateJurisdictionSchema = withMeta(
  z.strictObject({
    zh: displayName(60),
    en: displayName(120),
    units: z.array(displayName(40)).check(
      z.maxLength(200),
      // Hazards and tips name their unit by these words: two the same could not be told apart.
      z.refine(
        (units) => new Set(units).size === units.length,
        said('下辖单位不能重复。', 'Each unit may be listed only once.'),
      ),
    ),
    expectedVersion: z.number().check(z.int(), z.gte(1), z.lte(maxRecordVersion)),
  }),
  { id: 'UpdateJurisdiction' },
);
export type UpdateJurisdiction = z.infer<typeof updateJurisdictionSchema>;

export const meSchema = withMeta(z.object({ principal: principalSchema }), { id: 'Me' });

export const openApiDocumentSchema = withMeta(z.looseObject({ openapi: z.string() }), {
  id: 'OpenApiDocument',
  description: 'An OpenAPI 3.1 document.',
});
