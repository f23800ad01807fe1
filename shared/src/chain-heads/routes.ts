import type { RouteDefinition } from '../api/route-definition.ts';
import { chainHeadsDayParameters, chainHeadsListSchema, publishedDaySchema } from './schemas.ts';

const exampleDay = {
  date: '2026-11-22',
  root: 'c'.repeat(64),
  count: 1,
  previousDigest: 'a'.repeat(64),
  digest: 'b'.repeat(64),
  publishedAt: '2026-11-22T16:05:00.000Z',
};

/**
 * Each day's chain heads, public: no sign-in, and nothing but a root, a count and digests,
 * so that anyone can keep them and later hold a hazard's exported log (GET
 * /api/office/hazards/{hazardId}/log, which carries its inclusion proof) against them.
 */
export const chainHeadRoutes = [
  {
    operationId: 'listChainHeads',
    method: 'GET',
    path: '/api/public/chain-heads',
    handler: 'list-chain-heads',
    access: { kind: 'public' },
    table: { read: ['CHAINHEADS'] },
    summary: {
      zh: '每日链头公示：最近 60 天的根哈希',
      en: "Each day's published root over all chain heads: the latest 60 days",
    },
    response: { status: 200, body: chainHeadsListSchema, example: { days: [exampleDay] } },
  },
  {
    operationId: 'getChainHeads',
    method: 'GET',
    path: '/api/public/chain-heads/{date}',
    handler: 'get-chain-heads',
    access: { kind: 'public' },
    table: { read: ['CHAINHEADS'] },
    summary: {
      zh: '某日公示的根哈希（核对导出日志的包含证明）',
      en: "A published day's root, to check an exported log's inclusion proof against",
    },
    pathParameters: { schema: chainHeadsDayParameters, example: { date: 'latest' } },
    response: { status: 200, body: publishedDaySchema, example: exampleDay },
  },
] as const satisfies readonly RouteDefinition[];
