import type { RouteDefinition } from '../api/route-definition.ts';
import { ledgerIndexes } from './ledger-export-routes.ts';
import {
  deskQuerySchema,
  deskSchema,
  enterpriseLinkRequestSchema,
  enterpriseLinkSchema,
  giveHazardCommandSchema,
  hazardDetailSchema,
  hazardIdParameters,
  hazardListQuerySchema,
  hazardListSchema,
  importHazardsSchema,
  importResultSchema,
  recordHazardSchema,
} from './schemas.ts';

const officeRoles = ['officer', 'department_head', 'leader_in_charge', 'principal_leader'] as const;
const exampleHazardId = 'bcdefghijklmnopqrstuvwxyza';
const exampleToken =
  'eyJoIjoiYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5emEiLCJlIjoxNzk5OTk5OTk5LCJ2IjoxfQ.c2lnbmF0dXJl';
const exampleSummary = {
  hazardId: exampleHazardId,
  status: 'reported',
  source: 'inspection',
  grade: 'major',
  jurisdiction: 'cq-gecheng',
  industry: 'fire',
  enterprise: '91350100M000100Y43',
  place: '东门路 18 号仓库',
  excerpt: '仓库安全出口被货物堵死，疏散通道不畅。',
  reportedAt: '2026-11-22T08:00:00.000Z',
  foundOn: '2026-11-22',
  pendingExtension: false,
  escalations: 0,
} as const;
const exampleDetail = {
  hazard: {
    ...exampleSummary,
    description: '仓库安全出口被货物堵死，疏散通道不畅。',
    standard: { ref: 'GB 35181-2025 重大火灾隐患判定规则', clause: '5.1.1' },
    enterpriseTold: false,
    supervisingDepartment: { code: 'fire_rescue', zh: '消防救援机构', en: 'Fire and rescue' },
    closure: { signOffRole: 'department_head', secondPerson: true, awaitingSignOff: false },
  },
  revision: 1,
  timeline: [
    {
      sequence: 1,
      at: '2026-11-22T08:00:00.000Z',
      type: 'hazard_reported',
      actor: { kind: 'person', id: 'demo-cq-gecheng-officer', name: '李明' },
      data: {},
      hash: 'a'.repeat(64),
    },
  ],
  chain: { valid: true, head: 'a'.repeat(64) },
};
const examplePlan = {
  goalAndTasks: '清理安全出口，恢复疏散通道畅通',
  methodsAndMeasures: '搬离堵塞货物，划设禁止堆放标线',
  fundsAndMaterials: '企业自筹 2 万元',
  responsibleBodyAndPeople: '企业安全科，负责人王某',
  deadlineAndRequirements: '12 月 31 日前完成并自查',
  safetyAndEmergencyMeasures: '整改期间专人值守，配备灭火器',
};

/**
 * The hazard API. Every office route checks, on the server, that the hazard (or the
 * jurisdiction asked for) is one of the caller's; a hazard elsewhere answers 404 as if it
 * did not exist. The enterprise's routes take the link's token in the body, never the URL.
 */
/**
 * recordHazard: its own constant, so that its handler bundles this route alone (the
 * others' schemas and examples are not its to carry; bundle budget, handler-bundles.test).
 */
export const recordHazardRoute = {
  operationId: 'recordHazard',
  method: 'POST',
  path: '/api/office/hazards',
  handler: 'record-hazard',
  table: { read: ['JURISDICTION', 'POLICY', 'TIP#*', 'ENTERPRISE#*'], write: ['HAZARD#*'] },
  access: {
    kind: 'signedIn',
    roles: ['officer'],
    scope: { in: 'body', field: 'jurisdiction' },
  },
  uses: ['lifecycle', 'hazardEvidence'],
  summary: {
    zh: '登记隐患（检查发现、企业自查、举报查实）',
    en: 'Record a hazard from any channel',
  },
  request: {
    body: recordHazardSchema,
    example: {
      idempotencyKey: '3a1c2d3e-4b5a-4c6d-8e7f-901234567891',
      jurisdiction: 'cq-gecheng',
      source: 'inspection',
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place: '东门路 18 号仓库',
      grade: 'major',
      standard: { ref: 'GB 35181-2025 重大火灾隐患判定规则', clause: '5.1.1' },
      description: '仓库安全出口被货物堵死，疏散通道不畅。',
    },
  },
  response: { status: 201, body: hazardDetailSchema, example: exampleDetail },
} as const satisfies RouteDefinition;

export const hazardRoutes = [
  recordHazardRoute,
  {
    operationId: 'listHazards',
    method: 'GET',
    path: '/api/office/hazards',
    handler: 'list-hazards',
    table: { read: [], indexes: ledgerIndexes },
    access: {
      kind: 'signedIn',
      roles: officeRoles,
      scope: { in: 'query', field: 'jurisdiction' },
    },
    summary: { zh: '隐患台账（按辖区与状态，来自索引）', en: "A jurisdiction's hazard ledger" },
    query: {
      schema: hazardListQuerySchema,
      example: { jurisdiction: 'cq-gecheng', status: 'reported' },
    },
    response: {
      status: 200,
      body: hazardListSchema,
      example: { hazards: [exampleSummary] },
    },
  },
  {
    operationId: 'getDesk',
    method: 'GET',
    path: '/api/office/desk',
    handler: 'get-desk',
    // The escalation policy says who signs off a major hazard (the department head's card).
    table: { read: ['POLICY'], indexes: { gsi1: ['HAZARDS#*', 'TIPS#*'] } },
    access: {
      kind: 'signedIn',
      roles: officeRoles,
      scope: { in: 'query', field: 'jurisdiction' },
    },
    summary: {
      zh: '工作台：辖区隐患与线索的待办计数',
      en: "The desk: a jurisdiction's hazard and tip counts that need doing",
    },
    query: { schema: deskQuerySchema, example: { jurisdiction: 'cq-gecheng' } },
    response: {
      status: 200,
      body: deskSchema,
      example: {
        jurisdiction: 'cq-gecheng',
        asOf: '2026-11-22T08:00:00.000Z',
        hazards: { reported: 2, rectifying: 3, verifying: 1, closed_look_back: 0, closed: 4 },
        overdue: 1,
        dueSoon: 1,
        openMajor: 2,
        pendingExtensions: 1,
        awaitingSignOff: 1,
        escalationsToday: 2,
        summonsToHold: 0,
        listedSupervisions: 1,
        exposureToApprove: 0,
        exposed: 0,
        tips: { received: 3, accepted: 1, investigating: 0, substantiated: 1 },
        myCases: [
          {
            hazardId: exampleHazardId,
            place: '格城镇东街 12 号仓库',
            grade: 'general',
            status: 'rectifying',
            deadline: '2026-11-22T16:00:00.000Z',
            standing: 'due_soon',
            why: ['recorded'],
          },
        ],
      },
    },
  },
  {
    operationId: 'getHazard',
    method: 'GET',
    path: '/api/office/hazards/{hazardId}',
    handler: 'get-hazard',
    table: { read: ['HAZARD#*', 'POLICY'] },
    access: {
      kind: 'signedIn',
      roles: officeRoles,
      scope: { in: 'record', record: 'hazard', id: 'hazardId' },
    },
    uses: ['hazardEvidence'],
    summary: { zh: '隐患详情、时间线与哈希链校验', en: 'A hazard, its timeline and chain check' },
    pathParameters: { schema: hazardIdParameters, example: { hazardId: exampleHazardId } },
    response: { status: 200, body: hazardDetailSchema, example: exampleDetail },
  },
  {
    operationId: 'giveHazardCommand',
    method: 'POST',
    path: '/api/office/hazards/{hazardId}/commands',
    handler: 'give-hazard-command',
    table: { read: ['POLICY', 'ENTERPRISE#*'], write: ['HAZARD#*', 'EXPOSED#*'] },
    access: {
      kind: 'signedIn',
      // Each command's own roles are checked by the handler (commands.ts, commandRoles).
      roles: officeRoles,
      scope: { in: 'record', record: 'hazard', id: 'hazardId' },
    },
    uses: ['lifecycle', 'hazardEvidence'],
    summary: {
      zh: '整改、延期、核查、销号、重新打开；领导约谈、挂牌督办、批准曝光等操作',
      en: 'Rectify, extend, verify, close or reopen a hazard; leaders summon, list, expose',
    },
    pathParameters: { schema: hazardIdParameters, example: { hazardId: exampleHazardId } },
    request: {
      body: giveHazardCommandSchema,
      example: {
        idempotencyKey: '5b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
        expectedRevision: 1,
        command: {
          type: 'start_rectification',
          responsible: '王某（企业安全科）',
          measures: '搬离货物，恢复疏散通道',
          deadline: { workingDays: 10 },
          plan: examplePlan,
        },
      },
    },
    response: { status: 200, body: hazardDetailSchema, example: exampleDetail },
  },
  {
    operationId: 'createEnterpriseLink',
    method: 'POST',
    path: '/api/office/hazards/{hazardId}/enterprise-link',
    handler: 'create-enterprise-link',
    table: { read: ['HAZARD#*'] },
    access: {
      kind: 'signedIn',
      roles: ['officer'],
      scope: { in: 'record', record: 'hazard', id: 'hazardId' },
    },
    uses: ['receiptKey'],
    summary: {
      zh: '为企业主要负责人生成仅限本隐患的提交链接',
      en: "A link for the enterprise's principal, for this hazard only",
    },
    pathParameters: { schema: hazardIdParameters, example: { hazardId: exampleHazardId } },
    request: { body: enterpriseLinkRequestSchema, example: { validDays: 60 } },
    response: {
      status: 201,
      body: enterpriseLinkSchema,
      example: { token: exampleToken, expiresAt: '2027-01-21T08:00:00.000Z' },
    },
  },
  {
    operationId: 'importHazards',
    method: 'POST',
    path: '/api/office/hazard-imports',
    handler: 'import-hazards',
    table: { read: ['JURISDICTION', 'POLICY', 'ENTERPRISE#*'], write: ['HAZARD#*'] },
    access: {
      kind: 'signedIn',
      roles: ['officer'],
      scope: { in: 'body', field: 'jurisdiction' },
    },
    uses: ['lifecycle'],
    summary: {
      zh: '导入企业自查或检查发现的隐患（表格行，重复导入不新增）',
      en: 'Import hazards from spreadsheet rows (importing again adds nothing)',
    },
    request: {
      body: importHazardsSchema,
      example: {
        jurisdiction: 'cq-gecheng',
        source: 'self_report',
        rows: [
          {
            rowId: 'ZC-2026-001',
            industry: 'fire',
            enterprise: '91350100M000100Y43',
            place: '二号车间',
            grade: 'general',
            description: '灭火器压力不足，需更换。',
            responsible: '王某',
            measures: '更换灭火器',
            deadline: '2026-12-31',
          },
        ],
      },
    },
    response: {
      status: 200,
      body: importResultSchema,
      example: {
        results: [{ index: 0, rowId: 'ZC-2026-001', outcome: 'stored', hazardId: exampleHazardId }],
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
