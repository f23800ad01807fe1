import type { RouteDefinition } from '../api/routes.ts';
import {
  chainHeadsDayParameters,
  chainHeadsListSchema,
  chainHeadsPageQuerySchema,
  chainHeadsPageSchema,
} from './schemas.ts';

const exampleDay = {
  date: '2026-11-22',
  digest: 'b'.repeat(64),
  previousDigest: 'a'.repeat(64),
  count: 1,
  pages: 1,
  pageSize: 2000,
  publishedAt: '2026-11-22T16:05:00.000Z',
};

/**
 * Each day's chain heads, public: no sign-in, and nothing but opaque hazard ids, sequence
 * numbers and hashes, so that anyone can keep them and later hold a hazard's exported log
 * (GET /api/office/hazards/{hazardId}/log) against them.
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
      zh: '每日链头公示：最近 60 天的摘要',
      en: "Each day's published chain heads: the latest 60 days",
    },
    response: { status: 200, body: chainHeadsListSchema, example: { days: [exampleDay] } },
  },
  {
    operationId: 'getChainHeads',
    method: 'GET',
    path: '/api/public/chain-heads/{date}',
    handler: 'get-chain-heads',
    access: { kind: 'public' },
    table: { read: ['CHAINHEADS', 'CHAINHEADS#*'] },
    summary: {
      zh: '某日公示的各隐患链头（分页）',
      en: "A published day's chain heads, one page at a time",
    },
    pathParameters: { schema: chainHeadsDayParameters, example: { date: 'latest' } },
    query: { schema: chainHeadsPageQuerySchema, example: { page: '1' } },
    response: {
      status: 200,
      body: chainHeadsPageSchema,
      example: {
        ...exampleDay,
        page: 1,
        heads: [{ hazardId: 'bcdefghijklmnopqrstuvwxyza', sequence: 3, head: 'c'.repeat(64) }],
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
