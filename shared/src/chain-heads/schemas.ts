import * as z from 'zod';
import { said } from '../api/validation.ts';

/** The public chain heads API's shapes, shared by the handlers and the public page. */
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const chainHeadsDayParameters = z.object({
  date: z
    .string()
    .regex(/^(latest|\d{4}-\d{2}-\d{2})$/)
    .meta({
      description: 'A published CST date (YYYY-MM-DD), or latest 公示日期（或 latest：最近一天）',
      example: 'latest',
    }),
});

export const chainHeadsPageQuerySchema = z.object({
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, said('页码应为正整数。', 'The page must be a positive number.'))
    .optional()
    .meta({ description: 'Page of the day’s heads, from 1 页码', example: '1' }),
});

export const publishedDaySchema = z
  .object({
    date: z.string().describe('The CST day whose end the publication followed.'),
    digest: sha256.describe(
      'SHA-256 (hex) of the line `<date> <previousDigest>` followed by one line ' +
        '`<hazardId> <sequence> <head>` per hazard in hazard id order, each ending in \\n.',
    ),
    previousDigest: sha256.describe(
      'The digest of the day published before (64 zeros for the first): rewriting a day ' +
        'changes the digest of every later one.',
    ),
    count: z.number().int().min(0).describe('How many hazards the day holds.'),
    pages: z.number().int().min(0),
    pageSize: z.number().int().min(1),
    publishedAt: z.string().describe('When the heads were read: the logs as they stood then.'),
  })
  .meta({ id: 'ChainHeadsDay' });

export const chainHeadsListSchema = z
  .object({ days: z.array(publishedDaySchema).describe('The latest 60 days, newest first.') })
  .meta({ id: 'ChainHeadsList' });

export const chainHeadsPageSchema = publishedDaySchema
  .extend({
    page: z.number().int().min(1),
    heads: z.array(
      z.object({
        hazardId: z.string(),
        sequence: z.number().int().min(1).describe('The sequence of the log’s last event.'),
        head: sha256.describe('That event’s hash.'),
      }),
    ),
  })
  .meta({ id: 'ChainHeadsPage' });

export type ChainHeadsList = z.infer<typeof chainHeadsListSchema>;
export type ChainHeadsPage = z.infer<typeof chainHeadsPageSchema>;
