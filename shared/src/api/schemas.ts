import { z } from 'zod';
import { principalSchema } from '../auth/principal.ts';

export const healthSchema = z
  .object({
    ok: z.boolean(),
    version: z.object({
      code: z.string().describe('Version of the deployed code (package version + commit).'),
      data: z
        .string()
        .nullable()
        .describe('Version of the seed data loaded in the table, null if none yet.'),
    }),
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
  })
  .meta({ id: 'Jurisdiction' });
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

export const jurisdictionListSchema = z
  .object({ jurisdictions: z.array(jurisdictionSchema) })
  .meta({ id: 'JurisdictionList' });

export const meSchema = z.object({ principal: principalSchema }).meta({ id: 'Me' });

export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string() })
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document.' });
