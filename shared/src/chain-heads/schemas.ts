import * as z from 'zod';

/**
 * The public chain heads API's shapes, shared by the handlers and the public page. A day
 * is a root, a count and a digest: no hazard id and no single hazard's head.
 */
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

export const publishedDaySchema = z
  .object({
    date: z.string().describe('The CST day whose end the publication followed.'),
    root: sha256.describe(
      'The RFC 6962 Merkle tree hash over every hazard’s head when the day was published: ' +
        'leaf SHA-256(0x00 ‖ `<hazardId> <sequence> <head>`), node SHA-256(0x01 ‖ left ‖ ' +
        'right), leaves sorted by leaf hash. 每日根哈希：覆盖当天全部隐患日志的链头，但不列出任何隐患。',
    ),
    count: z
      .number()
      .int()
      .min(0)
      .describe('How many heads (leaves) the tree holds: the tree size a proof is checked at.'),
    previousDigest: sha256.describe(
      'The digest of the day published before (64 zeros for the first): rewriting a day ' +
        'changes the digest of every later one.',
    ),
    digest: sha256.describe(
      'SHA-256 (hex) of the line `<date> <count> <root> <previousDigest>` ending in \\n.',
    ),
    publishedAt: z.string().describe('When the heads were read: the logs as they stood then.'),
  })
  .meta({ id: 'ChainHeadsDay' });

export const chainHeadsListSchema = z
  .object({ days: z.array(publishedDaySchema).describe('The latest 60 days, newest first.') })
  .meta({ id: 'ChainHeadsList' });

/** What an exported hazard log carries to prove its head is in a published day's root. */
export const inclusionProofSchema = z
  .object({
    date: z.string().describe('The published day the proof is for.'),
    sequence: z
      .number()
      .int()
      .min(1)
      .describe('The log’s event whose hash was the published head.'),
    leafIndex: z.number().int().min(0),
    treeSize: z.number().int().min(1).describe('The day’s count.'),
    path: z
      .array(sha256)
      .describe('The audit path (RFC 9162 §2.1.3), from the leaf up, to the day’s root.'),
  })
  .meta({ id: 'ChainHeadsInclusionProof' });

export type ChainHeadsList = z.infer<typeof chainHeadsListSchema>;
