import type { RouteDefinition } from '../api/route-definition.ts';
import { tipPlacePrefix } from './duplicates.ts';
import {
  giveTipCommandSchema,
  possibleDuplicatesSchema,
  tipForOfficerSchema,
} from './office-schemas.ts';
import { exampleReceipt } from './public-routes.ts';
import { rewardDeskQuerySchema, rewardDeskSchema } from './reward-desk.ts';
import { rewardListQuerySchema, rewardListSchema } from './reward-list.ts';
import {
  askQuestionSchema,
  officeTipSchema,
  tipCreatedSchema,
  tipIdParameters,
  tipListQuerySchema,
  tipListSchema,
  tipMessageSchema,
} from './schemas.ts';

const exampleTipId = 'abcdefghijklmnopqrstuvwxyz';
const officeRoles = ['officer', 'department_head', 'leader_in_charge', 'principal_leader'] as const;
/** Reward officers read a tip and give its reward commands (RULES.md, "Who is who"). */
const tipReaders = [...officeRoles, 'reward_officer'] as const;

const exampleTipForOfficer = {
  tipId: exampleTipId,
  status: 'received',
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
  isEmployee: false,
  wantsReward: false,
  hasContact: false,
  photoKeys: [],
  messages: [],
  timeline: [{ at: '2026-11-22T08:00:00.000Z', status: 'received' }],
  channel: 'web',
  revision: 1,
  extensionUsed: false,
};

/** The office's routes of tips: the tipster's are in public-routes.ts, apart. */
export const listTipsRoute = {
  operationId: 'listTips',
  method: 'GET',
  path: '/api/office/tips',
  handler: 'list-tips',
  table: { read: [], indexes: { gsi1: ['TIPS#*'] } },
  access: {
    kind: 'signedIn',
    roles: officeRoles,
    scope: { in: 'query', field: 'jurisdiction' },
  },
  summary: { zh: '辖区举报线索（新线索在前）', en: "The jurisdiction's tip inbox, newest first" },
  query: {
    schema: tipListQuerySchema,
    example: { jurisdiction: 'cq-gecheng', status: 'received' },
  },
  response: { status: 200, body: tipListSchema, example: { tips: [] } },
} as const satisfies RouteDefinition;

export const getRewardDeskRoute = {
  operationId: 'getRewardDesk',
  method: 'GET',
  path: '/api/office/reward-desk',
  handler: 'get-reward-desk',
  table: { read: [], indexes: { gsi1: ['TIPS#*'], gsi2: ['REWARDS#*'] } },
  access: {
    kind: 'signedIn',
    roles: ['reward_officer'],
    scope: { in: 'query', field: 'jurisdiction' },
  },
  summary: {
    zh: '奖励工作台：待核算、待批准的举报奖励，待兑付的申领，临近领取期限的奖励',
    en: "The reward officer's desk: rewards to compute, to approve, claims to pay, deadlines near",
  },
  query: { schema: rewardDeskQuerySchema, example: { jurisdiction: 'cq-gecheng' } },
  response: {
    status: 200,
    body: rewardDeskSchema,
    example: {
      jurisdiction: 'cq-gecheng',
      asOf: '2026-11-22T08:00:00.000Z',
      toCompute: {
        count: 1,
        items: [
          {
            tipId: exampleTipId,
            receivedAt: '2026-11-02T08:00:00.000Z',
            address: '东门路 18 号',
          },
        ],
      },
      toApprove: { count: 0, items: [] },
      claimsToPay: {
        count: 1,
        items: [
          {
            tipId: exampleTipId,
            receivedAt: '2026-09-02T08:00:00.000Z',
            address: '东门路 18 号',
            amountFen: 1_200_000,
            claimMethod: 'in_person',
            claimedAt: '2026-11-20T02:00:00.000Z',
            claimBy: '2026-12-14T16:00:00.000Z',
          },
        ],
      },
      deadlineNear: { count: 0, withinDays: 10, items: [] },
    },
  },
} as const satisfies RouteDefinition;

/**
 * The reward officer's list: every tip of a jurisdiction that concerns a reward, without
 * the tipster's words (listTips is the case officers', with an excerpt of them).
 */
export const listRewardsRoute = {
  operationId: 'listRewards',
  method: 'GET',
  path: '/api/office/rewards',
  handler: 'list-rewards',
  // The substantiated and closed inbox partitions, and the rewards index (joint shares).
  table: { read: [], indexes: { gsi1: ['TIPS#*'], gsi2: ['REWARDS#*'] } },
  access: {
    kind: 'signedIn',
    roles: ['reward_officer'],
    scope: { in: 'query', field: 'jurisdiction' },
  },
  summary: {
    zh: '奖励线索：有查处结果可获奖励的举报，以及待批准、已批准、已申领、已兑付、已失效的奖励',
    en: 'Rewards: tips whose case result may earn one, and rewards to approve, approved, claimed, paid or lapsed',
  },
  query: { schema: rewardListQuerySchema, example: { jurisdiction: 'cq-gecheng' } },
  response: {
    status: 200,
    body: rewardListSchema,
    example: {
      jurisdiction: 'cq-gecheng',
      asOf: '2026-11-22T08:00:00.000Z',
      count: 1,
      items: [
        {
          tipId: exampleTipId,
          receivedAt: '2026-09-02T08:00:00.000Z',
          address: '东门路 18 号',
          standing: 'claimed',
          outcomeKind: 'fine_imposed',
          fineYuan: 80_000,
          amountFen: 1_200_000,
          claimMethod: 'bank_transfer',
          claimBy: '2026-12-14T16:00:00.000Z',
        },
      ],
    },
  },
} as const satisfies RouteDefinition;

export const getTipRoute = {
  operationId: 'getTip',
  method: 'GET',
  path: '/api/office/tips/{tipId}',
  handler: 'get-tip',
  table: { read: ['TIP#*'] },
  access: {
    kind: 'signedIn',
    roles: tipReaders,
    scope: { in: 'record', record: 'tip', id: 'tipId' },
  },
  uses: ['evidenceRead'],
  summary: { zh: '查看举报线索', en: 'Read a tip' },
  pathParameters: { schema: tipIdParameters, example: { tipId: exampleTipId } },
  response: {
    status: 200,
    body: tipForOfficerSchema,
    example: {
      ...exampleTipForOfficer,
    },
  },
} as const satisfies RouteDefinition;

/**
 * A tip's possible duplicates among all tips of its jurisdiction, not one page: the
 * newest tips of the same folded enterprise name (gsi4) and address (gsi5), a bounded
 * Query each. Officers' (a reward officer's view has none of the tipster's words).
 */
export const getTipDuplicatesRoute = {
  operationId: 'getTipDuplicates',
  method: 'GET',
  path: '/api/office/tips/{tipId}/possible-duplicates',
  handler: 'get-tip-duplicates',
  table: {
    read: ['TIP#*'],
    indexes: { gsi4: [`${tipPlacePrefix}*`], gsi5: [`${tipPlacePrefix}*`] },
  },
  access: {
    kind: 'signedIn',
    roles: officeRoles,
    scope: { in: 'record', record: 'tip', id: 'tipId' },
  },
  summary: {
    zh: '可能重复的举报（本辖区同一单位或同一地址的举报）',
    en: 'Possible duplicates: tips of the jurisdiction naming the same enterprise or address',
  },
  pathParameters: { schema: tipIdParameters, example: { tipId: exampleTipId } },
  response: {
    status: 200,
    body: possibleDuplicatesSchema,
    example: { possibleDuplicates: [] },
  },
} as const satisfies RouteDefinition;

export const giveTipCommandRoute = {
  operationId: 'giveTipCommand',
  method: 'POST',
  path: '/api/office/tips/{tipId}/commands',
  handler: 'give-tip-command',
  table: { read: ['POLICY', 'HAZARD#*'], write: ['TIP#*'] },
  access: {
    kind: 'signedIn',
    roles: ['officer', 'department_head', 'reward_officer'],
    scope: { in: 'record', record: 'tip', id: 'tipId' },
  },
  // receiptKey: a claim code typed in at payment is checked as its keyed hash.
  uses: ['lifecycle', 'receiptKey'],
  summary: {
    zh: '受理、不予受理、转办、合并、核查、答复举报；记录查处结果，核算、批准奖励，登记兑付',
    en: 'Accept, refuse, refer, merge, investigate or answer a tip; record the case result, compute and approve the reward, record its payment',
  },
  pathParameters: { schema: tipIdParameters, example: { tipId: exampleTipId } },
  request: {
    body: giveTipCommandSchema,
    example: {
      idempotencyKey: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
      expectedRevision: 1,
      command: { type: 'accept' },
    },
  },
  response: { status: 200, body: tipForOfficerSchema, example: exampleTipForOfficer },
} as const satisfies RouteDefinition;

export const askTipsterRoute = {
  operationId: 'askTipster',
  method: 'POST',
  path: '/api/office/tips/{tipId}/questions',
  handler: 'ask-tipster',
  table: { read: [], write: ['TIP#*'] },
  access: {
    kind: 'signedIn',
    roles: ['officer'],
    scope: { in: 'record', record: 'tip', id: 'tipId' },
  },
  summary: {
    zh: '向举报人提问（匿名双向）',
    en: 'Ask the tipster a question (anonymous, two-way)',
  },
  pathParameters: { schema: tipIdParameters, example: { tipId: exampleTipId } },
  request: {
    body: askQuestionSchema,
    example: {
      idempotencyKey: '3c2b1a09-8f7e-4d6c-b5a4-392817160514',
      text: '请问堵塞的是哪一个出口？',
    },
  },
  response: {
    status: 201,
    body: tipMessageSchema,
    example: {
      messageId: 'm1',
      at: '2026-11-22T09:00:00.000Z',
      from: 'office',
      text: '请问堵塞的是哪一个出口？',
    },
  },
} as const satisfies RouteDefinition;

export const recordOfficeTipRoute = {
  operationId: 'recordOfficeTip',
  method: 'POST',
  path: '/api/office/tips',
  handler: 'record-office-tip',
  table: { read: ['JURISDICTION', 'POLICY'], write: ['TIP#*'] },
  access: {
    kind: 'signedIn',
    roles: ['officer'],
    scope: { in: 'body', field: 'jurisdiction' },
  },
  uses: ['evidenceUpload', 'receiptKey', 'contactKey', 'lifecycle'],
  summary: {
    zh: '录入 12350 热线、信件或来访举报（同样生成回执码）',
    en: 'Enter a tip from the 12350 hotline, a letter or a visit (a receipt as for the web)',
  },
  request: {
    body: officeTipSchema,
    example: {
      idempotencyKey: '1e2d3c4b-5a69-4788-9aab-bccddeeff001',
      channel: 'hotline',
      jurisdiction: 'cq-gecheng',
      industry: 'fire',
      enterprise: '某某商贸有限公司',
      address: '西门路 6 号',
      description: '来电反映：商铺二楼违规住人，疏散楼梯堆满杂物。',
      seenOn: '2026-11-21',
      isEmployee: false,
      wantsReward: false,
      photoCount: 0,
    },
  },
  response: {
    status: 201,
    body: tipCreatedSchema,
    example: {
      receipt: exampleReceipt,
      receivedAt: '2026-11-22T08:00:00.000Z',
      photoUploads: [],
      duplicate: false,
    },
  },
} as const satisfies RouteDefinition;

/** The office's routes of tips, each also its own constant: a handler bundles its own alone. */
export const officeTipRoutes = [
  listTipsRoute,
  getRewardDeskRoute,
  listRewardsRoute,
  getTipRoute,
  getTipDuplicatesRoute,
  giveTipCommandRoute,
  askTipsterRoute,
  recordOfficeTipRoute,
] as const satisfies readonly RouteDefinition[];
