import * as z from 'zod/mini';
import { withMeta } from '../api/validation.ts';

/**
 * The public chain heads API's shapes, shared by the handlers and the public page. A day
 * is a root, a count and a digest: no hazard id and no single hazard's head.
 */
const sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/));

export const chainHeadsDayParameters = z.object({
  date: withMeta(z.string().check(z.regex(/^(latest|\d{4}-\d{2}-\d{2})$/)), {
    description: 'A published CST date (YYYY-MM-DD), or latest 公示日期（或 latest：最近一天）',
    example: 'latest',
  }),
});

export const publishedDaySchema = withMeta(
  z.object({
    date: withMeta(z.string(), { description: 'The CST day whose end the publication followed.' }),
    root: withMeta(sha256, {
      description:
        'The RFC 6962 Merkle tree hash over every hazard’s head when the day was published: ' +
        'leaf SHA-256(0x00 ‖ `<hazardId> <sequence> <head>`), node SHA-256(0x01 ‖ left ‖ ' +
        'right), leaves sorted by leaf hash. 每日根哈希：覆盖当天全部隐患日志的链头，但不列出任何隐患。',
    }),
    count: withMeta(z.number().check(z.int(), z.gte(0)), {
      description: 'How many heads (leaves) the tree holds: the tree size a proof is checked at.',
    }),
    previousDigest: withMeta(sha256, {
      description:
        'The digest of the day published before (64 zeros for the first): rewriting a day ' +
        'changes the digest of every later one.',
    }),
    digest: withMeta(sha256, {
      description:
        'SHA-256 (hex) of the line `<date> <count> <root> <previousDigest>` ending in \\n.',
    }),
    publishedAt: withMeta(z.string(), {
      description: 'When the heads were read: the logs as they stood then.',
    }),
  }),
  { id: 'ChainHeadsDay' },
);

export const chainHeadsListSchema = withMeta(
  z.object({
    days: withMeta(z.array(publishedDaySchema), {
      description: 'The latest 60 days, newest first.',
    }),
  }),
  { id: 'ChainHeadsList' },
);

/** What an exported hazard log carries to prove its head is in a published day's root. */
export const inclusionProofSchema = withMeta(
  z.object({
    date: withMeta(z.string(), { description: 'The published day the proof is for.' }),
    sequence: withMeta(z.number().check(z.int(), z.gte(1)), {
      description: 'The log’s event whose hash was the published head.',
    }),
    leafIndex: z.number().check(z.int(), z.gte(0)),
    treeSize: withMeta(z.number().check(z.int(), z.gte(1)), { description: 'The day’s count.' }),
    path: withMeta(z.array(sha256), {
      description: 'The audit path (RFC 9162 §2.1.3), from the leaf up, to the day’s root.',
    }),
  }),
  { id: 'ChainHeadsInclusionProof' },
);

export type ChainHeadsList = z.infer<typeof chainHeadsListSchema>;
