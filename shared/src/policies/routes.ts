import type { RouteDefinition } from '../api/route-definition.ts';
import { jurisdictionCodeParameters } from '../api/schemas.ts';
import { nationalRewardPolicy } from '../rewards/reward-policy.ts';
import {
  rewardPolicyViewSchema,
  updateRewardPolicySchema,
} from '../rewards/reward-policy-schemas.ts';
import {
  calendarYearParameters,
  calendarYearSchema,
  escalationLadderViewSchema,
  jurisdictionContactsSchema,
  policiesSchema,
  updateCalendarYearSchema,
  updateEscalationPolicySchema,
  updateJurisdictionContactsSchema,
} from './schemas.ts';

const officeRoles = ['officer', 'department_head', 'leader_in_charge', 'principal_leader'] as const;

const exampleLadder = [
  {
    step: 'reminder',
    offsetDays: -3,
    urgent: false,
    recipients: ['enterprise_principal', 'assigned_officer'],
  },
  {
    step: 'notice_letter',
    offsetDays: 2,
    urgent: false,
    recipients: ['enterprise_principal', 'enterprise_controller'],
  },
  {
    step: 'circular',
    offsetDays: 7,
    urgent: false,
    recipients: ['jurisdiction_departments', 'department_head'],
  },
  { step: 'summons', offsetDays: 14, urgent: true, recipients: ['leader_in_charge'] },
  {
    step: 'public_exposure',
    offsetDays: 30,
    urgent: true,
    recipients: ['principal_leader', 'public_page'],
  },
] as const;

const stepNames = {
  reminder: { zh: '到期提醒', en: 'Reminder' },
  notice_letter: { zh: '函告', en: 'Notice letter' },
  circular: { zh: '通报', en: 'Circular' },
  summons: { zh: '约谈', en: 'Summons' },
  public_exposure: { zh: '曝光、挂牌督办', en: 'Public exposure and listed supervision' },
} as const;

const exampleLadderView = {
  jurisdiction: 'cq-gecheng',
  ladder: exampleLadder.map((rung) => ({ ...rung, name: stepNames[rung.step] })),
  officeHours: { startHour: 9, endHour: 18 },
  lateAfterMinutes: 15,
  spreadMinutes: 30,
  tipLimits: { acceptDays: 3, verifyDays: 60, feedbackDays: 10 },
  lookBack: { afterDays: 30, generalSamplePercent: 20 },
  retention: { sealedDataDays: 180 },
  version: 1,
  source: 'administrator',
  updatedAt: '2026-11-22T08:00:00.000Z',
  updatedBy: '金鑫',
};

// A jurisdiction's own reward policy: the national rule with a larger minimum (invented).
const { version: _national, ...nationalSettings } = nationalRewardPolicy;
const exampleRewardSettings = {
  ...nationalSettings,
  name: { zh: '葛城区标准（2026）', en: 'Gecheng rule (2026)' },
  source: {
    zh: '葛城区安全生产举报奖励实施细则（2026）',
    en: 'Gecheng implementing rules for work-safety tip rewards (2026)',
  },
  majorHazard: { percent: 15, minYuan: 5_000, maxYuan: 300_000 },
};
const exampleRewardView = {
  jurisdiction: 'cq-gecheng',
  policyVersion: 'cq-gecheng-1',
  ...exampleRewardSettings,
  version: 1,
  origin: 'administrator',
  updatedAt: '2026-11-22T08:00:00.000Z',
  updatedBy: '金鑫',
};

// Invented people and numbers (not the enterprise examples' ones).
const exampleContacts = {
  assigned_officer: [{ kind: 'email', address: 'liming@example.gov.cn' }],
  jurisdiction_departments: [
    { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=EXAMPLE-KEY' },
  ],
  department_head: [{ kind: 'sms', phone: '13500135000' }],
  leader_in_charge: [
    { kind: 'sms', phone: '13600136000' },
    { kind: 'email', address: 'zhangwei@example.gov.cn' },
  ],
  principal_leader: [{ kind: 'sms', phone: '13300133000' }],
  reward_officer: [{ kind: 'email', address: 'jiangli@example.gov.cn' }],
} as const;

/**
 * The policies administrators edit (RULES.md, "Who is who"): the national working-day
 * calendar, year by year, each jurisdiction's escalation ladder, and who each of its
 * office recipients is. Office roles read the calendar and the ladders (a deadline in
 * working days, when a circular goes out); the contact lists are personal data, read by
 * the jurisdiction's administrators alone. Administrators edit them, each edit naming the
 * version it replaces.
 */
export const policyRoutes = [
  {
    operationId: 'getPolicies',
    method: 'GET',
    path: '/api/admin/policies',
    handler: 'get-policies',
    // The stored policies and the jurisdictions; not the contact lists.
    table: { read: ['POLICY', 'JURISDICTION'] },
    access: {
      kind: 'signedIn',
      roles: ['administrator', ...officeRoles],
      scope: {
        in: 'none',
        reason: {
          zh: '全国统一的节假日安排，督办阶梯只返回本人所属辖区的',
          en: 'the national calendar, and the ladders of the caller’s own jurisdictions only',
        },
      },
    },
    summary: {
      zh: '现行政策：节假日安排与本辖区的督办阶梯、举报奖励标准',
      en: "The policies in force: the holiday calendar and the caller's escalation ladders and reward policies",
    },
    response: {
      status: 200,
      body: policiesSchema,
      example: {
        calendar: {
          years: [
            {
              year: 2026,
              holidays: ['2026-01-01', '2026-01-02', '2026-01-03'],
              workdays: ['2026-01-04'],
              version: 0,
              source: 'seed',
            },
          ],
          warnings: [
            {
              code: 'calendar_missing',
              year: 2027,
              message: {
                zh: '尚未录入 2027 年的节假日安排…',
                en: 'There is no holiday calendar for 2027 yet…',
              },
            },
          ],
        },
        escalation: [exampleLadderView],
        rewards: [exampleRewardView],
      },
    },
  },
  {
    operationId: 'updateCalendarYear',
    method: 'PUT',
    path: '/api/admin/calendar/{year}',
    handler: 'update-calendar-year',
    // A calendar year's item under POLICY (and the policies again on a conflict).
    table: { read: [], write: ['POLICY'] },
    access: {
      kind: 'signedIn',
      roles: ['administrator'],
      scope: {
        in: 'none',
        reason: { zh: '节假日安排全国统一', en: 'the working-day calendar is national' },
      },
    },
    summary: {
      zh: '录入或修改一年的节假日与调休上班日',
      en: "Enter or edit a year's days off and make-up working days",
    },
    pathParameters: { schema: calendarYearParameters, example: { year: '2027' } },
    request: {
      body: updateCalendarYearSchema,
      // New Year's Day only: enter the rest as the State Council's notice gives it.
      example: { holidays: ['2027-01-01'], workdays: [], expectedVersion: 0 },
    },
    response: {
      status: 200,
      body: calendarYearSchema,
      example: {
        year: 2027,
        holidays: ['2027-01-01'],
        workdays: [],
        version: 1,
        source: 'administrator',
        updatedAt: '2026-11-22T08:00:00.000Z',
        updatedBy: '金鑫',
      },
    },
  },
  {
    operationId: 'updateEscalationPolicy',
    method: 'PUT',
    path: '/api/admin/jurisdictions/{code}/escalation-policy',
    handler: 'update-escalation-policy',
    table: {
      read: ['JURISDICTION', 'HAZARD#*'],
      write: ['POLICY'],
      indexes: { gsi1: ['HAZARDS#*'] },
    },
    access: {
      kind: 'signedIn',
      roles: ['administrator'],
      scope: { in: 'path', field: 'code' },
    },
    // The jurisdiction's running lifecycles are woken to plan with the new ladder.
    uses: ['lifecycle'],
    summary: {
      zh: '修改本辖区的督办阶梯（各步天数、告知对象、办公时间）',
      en: "Edit a jurisdiction's escalation ladder (days, recipients, office hours)",
    },
    pathParameters: { schema: jurisdictionCodeParameters, example: { code: 'cq-gecheng' } },
    request: {
      body: updateEscalationPolicySchema,
      example: {
        ladder: exampleLadder,
        officeHours: { startHour: 9, endHour: 18 },
        lateAfterMinutes: 15,
        spreadMinutes: 30,
        expectedVersion: 0,
      },
    },
    response: { status: 200, body: escalationLadderViewSchema, example: exampleLadderView },
  },
  {
    operationId: 'updateRewardPolicy',
    method: 'PUT',
    path: '/api/admin/jurisdictions/{code}/reward-policy',
    handler: 'update-reward-policy',
    // The jurisdiction must exist; its reward policy is an item under POLICY. No lifecycle
    // is woken: a tip keeps the policy in force when it was substantiated.
    table: { read: ['JURISDICTION'], write: ['POLICY'] },
    access: {
      kind: 'signedIn',
      roles: ['administrator'],
      scope: { in: 'path', field: 'code' },
    },
    summary: {
      zh: '修改本辖区的举报奖励标准（罚款比例、最低与最高额、瞒报事故奖励、告知与领取期限）',
      en: "Edit a jurisdiction's reward policy (share of the fine, minimum and maximum, concealed accidents, deadlines)",
    },
    pathParameters: { schema: jurisdictionCodeParameters, example: { code: 'cq-gecheng' } },
    request: {
      body: updateRewardPolicySchema,
      example: { ...exampleRewardSettings, expectedVersion: 0 },
    },
    response: { status: 200, body: rewardPolicyViewSchema, example: exampleRewardView },
  },
  {
    operationId: 'updateJurisdictionContacts',
    method: 'PUT',
    path: '/api/admin/jurisdictions/{code}/contacts',
    handler: 'update-jurisdiction-contacts',
    // The jurisdiction must exist; its contact lists live apart, under POLICY#CONTACTS.
    table: { read: ['JURISDICTION'], write: ['POLICY#CONTACTS'] },
    access: {
      kind: 'signedIn',
      roles: ['administrator'],
      scope: { in: 'path', field: 'code' },
    },
    summary: {
      zh: '修改本辖区各接收方的联系方式（邮件、短信、企业微信与钉钉群机器人）',
      en: "Edit who a jurisdiction's office recipients are (e-mail, SMS, WeCom and DingTalk robots)",
    },
    pathParameters: { schema: jurisdictionCodeParameters, example: { code: 'cq-gecheng' } },
    request: {
      body: updateJurisdictionContactsSchema,
      example: { contacts: exampleContacts, expectedVersion: 0 },
    },
    response: {
      status: 200,
      body: jurisdictionContactsSchema,
      example: {
        jurisdiction: 'cq-gecheng',
        contacts: exampleContacts,
        version: 1,
        updatedAt: '2026-11-22T08:00:00.000Z',
        updatedBy: '金鑫',
        edits: [
          {
            version: 1,
            at: '2026-11-22T08:00:00.000Z',
            by: '金鑫',
            changed: [
              'assigned_officer',
              'jurisdiction_departments',
              'department_head',
              'leader_in_charge',
              'principal_leader',
            ],
          },
        ],
      },
    },
  },
  {
    operationId: 'getJurisdictionContacts',
    method: 'GET',
    path: '/api/admin/jurisdictions/{code}/contacts',
    handler: 'get-jurisdiction-contacts',
    // The jurisdiction must exist; then its contact lists.
    table: { read: ['JURISDICTION', 'POLICY#CONTACTS'] },
    access: {
      kind: 'signedIn',
      roles: ['administrator'],
      scope: { in: 'path', field: 'code' },
    },
    summary: {
      zh: '本辖区各接收方的联系方式及修改记录（仅限管理员）',
      en: "Who a jurisdiction's office recipients are, with the edit log (administrators only)",
    },
    pathParameters: { schema: jurisdictionCodeParameters, example: { code: 'cq-gecheng' } },
    response: {
      status: 200,
      body: jurisdictionContactsSchema,
      example: {
        jurisdiction: 'cq-gecheng',
        contacts: {
          assigned_officer: [],
          jurisdiction_departments: [],
          department_head: [],
          leader_in_charge: [{ kind: 'sms', phone: '13600136000' }],
          principal_leader: [],
          reward_officer: [],
        },
        version: 2,
        updatedAt: '2026-12-01T02:30:00.000Z',
        updatedBy: '金鑫',
        edits: [
          {
            version: 1,
            at: '2026-11-22T08:00:00.000Z',
            by: '金鑫',
            changed: ['leader_in_charge', 'principal_leader'],
          },
          {
            version: 2,
            at: '2026-12-01T02:30:00.000Z',
            by: '金鑫',
            changed: ['principal_leader'],
          },
        ],
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
