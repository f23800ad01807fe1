import type { RouteDefinition } from '../api/route-definition.ts';
import { tipForOfficerSchema } from './office-schemas.ts';
import {
  approveRewardSchema,
  claimRewardSchema,
  computeRewardSchema,
  openPaymentDetailsSchema,
  paymentDetailsSchema,
  rewardClaimedSchema,
} from './reward-schemas.ts';
import { tipIdParameters } from './schemas.ts';

/**
 * The reward's routes (issue 16). The claim is public and, like the other follow-up
 * routes, opened by the receipt in the body (never in a path), budgeted against guessing.
 * Computing and approving are the giveTipCommand commands under their own operation ids:
 * the same command function behind them.
 */
const exampleReceipt = '482910385521903471';
const exampleTipId = 'abcdefghijklmnopqrstuvwxyz';
const tipScope = { in: 'record', record: 'tip', id: 'tipId' } as const;
const exampleTip = {
  tipId: exampleTipId,
  status: 'substantiated',
  receivedAt: '2026-11-22T08:00:00.000Z',
  jurisdiction: 'cq-gecheng',
  industry: 'fire',
  address: '东门路 18 号仓库',
  excerpt: '仓库安全出口被货物堵住',
  photos: 0,
  openQuestions: 0,
  acceptDeadline: '2026-11-25T16:00:00.000Z',
  description: '仓库安全出口被货物堵住。',
  seenOn: '2026-11-20',
  wantsReward: true,
  hasContact: true,
  photoKeys: [],
  messages: [],
  timeline: [{ at: '2026-11-22T08:00:00.000Z', status: 'received' }],
  channel: 'web',
  revision: 7,
  extensionUsed: false,
};
const exampleReward = {
  amountFen: 1_200_000,
  rule: {
    zh: '全国标准（2018）：重大事故隐患或非法违法生产经营，按罚款的 15% 奖励',
    en: 'National rule (2018): a major hazard or illegal production, 15% of the fine',
  },
  figures: {
    zh: '罚款 80,000 元 × 15% = 12,000 元，不低于 3,000 元，不高于 300,000 元',
    en: 'fine 80,000 yuan × 15% = 12,000 yuan, within 3,000 yuan to 300,000 yuan',
  },
  adjusted: false,
  approvedAt: '2026-12-01T02:00:00.000Z',
  claimBy: '2027-01-30T16:00:00.000Z',
  standing: 'claimed',
  method: 'bank_transfer',
  claimedAt: '2026-12-02T02:00:00.000Z',
};

// In the order a reward goes (the documented examples run in table order).
/** computeReward: its own constant, so that its handler bundles this route alone. */
export const computeRewardRoute = {
  operationId: 'computeReward',
  method: 'POST',
  path: '/api/office/tips/{tipId}/reward/compute',
  handler: 'compute-reward',
  table: { read: ['POLICY'], write: ['TIP#*'] },
  access: { kind: 'signedIn', roles: ['reward_officer'], scope: tipScope },
  uses: ['lifecycle'],
  summary: {
    zh: '按奖励标准核算奖励（可调整金额并说明理由）',
    en: 'Compute the reward by the policy (an adjusted amount needs a reason)',
  },
  pathParameters: { schema: tipIdParameters, example: { tipId: exampleTipId } },
  request: {
    body: computeRewardSchema,
    example: { idempotencyKey: '7b6a5f4e-3d2c-4b1a-9f8e-7d6c5b4a3f2e', expectedRevision: 6 },
  },
  response: { status: 200, body: tipForOfficerSchema, example: exampleTip },
} as const satisfies RouteDefinition;

/** approveReward: its own constant, so that its handler bundles this route alone. */
export const approveRewardRoute = {
  operationId: 'approveReward',
  method: 'POST',
  path: '/api/office/tips/{tipId}/reward/approve',
  handler: 'approve-reward',
  table: { read: ['POLICY'], write: ['TIP#*'] },
  access: { kind: 'signedIn', roles: ['reward_officer'], scope: tipScope },
  uses: ['lifecycle'],
  summary: {
    zh: '批准奖励（须由核算人以外的奖励专员批准；批准即通知举报人，领取期限起算）',
    en: 'Approve the reward (by another reward officer; the tipster is notified and the claim period starts)',
  },
  pathParameters: { schema: tipIdParameters, example: { tipId: exampleTipId } },
  request: {
    body: approveRewardSchema,
    example: { idempotencyKey: '8c7b6a5f-4e3d-4c2b-8a1f-0e9d8c7b6a5f', expectedRevision: 7 },
  },
  response: { status: 200, body: tipForOfficerSchema, example: exampleTip },
} as const satisfies RouteDefinition;

/** claimReward: its own constant, so that its handler bundles this route alone. */
export const claimRewardRoute = {
  operationId: 'claimReward',
  method: 'POST',
  path: '/api/tips/reward-claims',
  handler: 'claim-reward',
  access: { kind: 'public' },
  table: { read: [], write: ['TIP#*', 'LOOKUP_FAILURES'] },
  // contactKey: the bank account is sealed as the reward phone is. lifecycle: a claim
  // wakes the tip's lifecycle from its claim-deadline wait (the handler's tipWorkflow).
  uses: ['receiptKey', 'contactKey', 'lifecycle'],
  summary: {
    zh: '凭回执码申领奖励（现场领取或银行转账）',
    en: 'Claim a reward with the receipt (in person or by bank transfer)',
  },
  request: {
    body: claimRewardSchema,
    example: {
      receipt: exampleReceipt,
      idempotencyKey: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      method: 'bank_transfer',
      bank: {
        accountName: '张三',
        bankName: '中国工商银行重庆分行',
        accountNumber: '6222020200112233445',
      },
    },
  },
  response: {
    status: 201,
    body: rewardClaimedSchema,
    // No spread here: esbuild keeps a spread (it may run a getter), and with it this route
    // and its examples in every handler that imports one route of this file.
    example: { reward: exampleReward, duplicate: false },
  },
} as const satisfies RouteDefinition;

/** openPaymentDetails: its own constant, so that its handler bundles this route alone. */
export const openPaymentDetailsRoute = {
  operationId: 'openPaymentDetails',
  method: 'POST',
  path: '/api/office/tips/{tipId}/reward/payment-details',
  handler: 'open-payment-details',
  table: { read: [], write: ['TIP#*'] },
  access: { kind: 'signedIn', roles: ['reward_officer'], scope: tipScope },
  uses: ['contactOpen'],
  summary: {
    zh: '查看举报人提供的收款账户（每次查看都记录在案）',
    en: "Read the tipster's bank details (each reading is recorded on the tip)",
  },
  pathParameters: { schema: tipIdParameters, example: { tipId: exampleTipId } },
  request: {
    body: openPaymentDetailsSchema,
    example: { idempotencyKey: '9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a' },
  },
  response: {
    status: 200,
    body: paymentDetailsSchema,
    example: {
      accountName: '张三',
      bankName: '中国工商银行重庆分行',
      accountNumber: '6222020200112233445',
    },
  },
} as const satisfies RouteDefinition;

export const rewardRoutes = [
  computeRewardRoute,
  approveRewardRoute,
  claimRewardRoute,
  openPaymentDetailsRoute,
] as const satisfies readonly RouteDefinition[];
