import * as z from 'zod/mini';
import { maxRecordVersion, said, text, withMeta } from '../api/validation.ts';
import type { EscalationStep, Recipient } from '../hazards/escalation.ts';
import {
  contactSchema,
  type JurisdictionRecipient,
  jurisdictionRecipients,
} from '../notifications/directory.ts';
import { rewardPolicyViewSchema } from '../rewards/reward-policy-schemas.ts';
import { retentionLimits } from '../tips/retention.ts';

/**
 * What administrators send and read about the policies that are data (DESIGN.md, principle
 * 5): the working-day calendar of a year and a jurisdiction's escalation ladder. One schema
 * for browser and server; every refusal says what to fix in both languages.
 */

/** The five steps of the ladder, in the order RULES.md gives them (fixed: only days change). */
export const escalationSteps = [
  'reminder',
  'notice_letter',
  'circular',
  'summons',
  'public_exposure',
] as const satisfies readonly EscalationStep[];

/** Who a step may tell. */
export const recipients = [
  'enterprise_principal',
  'enterprise_controller',
  'assigned_officer',
  'jurisdiction_departments',
  'department_head',
  'leader_in_charge',
  'principal_leader',
  'public_page',
] as const satisfies readonly Recipient[];

// Both lists must name every member of their union: a step or recipient added to the
// domain and forgotten here is a type error.
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
const allSteps: Missing<EscalationStep, (typeof escalationSteps)[number]> = true;
const allRecipients: Missing<Recipient, (typeof recipients)[number]> = true;
void allSteps;
void allRecipients;

const stepNames: Record<EscalationStep, { zh: string; en: string }> = {
  reminder: { zh: '到期提醒', en: 'reminder' },
  notice_letter: { zh: '函告', en: 'notice letter' },
  circular: { zh: '通报', en: 'circular' },
  summons: { zh: '约谈', en: 'summons' },
  public_exposure: { zh: '曝光、挂牌督办', en: 'public exposure' },
};

// ---------------------------------------------------------------------------------------
// The working-day calendar of a year

/** A CST date as typed (full-width digits become half-width), checked to exist. */
const calendarDate = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) => value.normalize('NFKC').trim()),
  ),
  z.iso.date(
    said('日期格式应为 YYYY-MM-DD，且须是真实存在的日期。', 'Dates must be real YYYY-MM-DD dates.'),
  ),
);

/** Sorted, each date once: the stored form, whatever order the administrator typed. */
const dateList = (max: number) =>
  z.pipe(
    z
      .array(calendarDate)
      .check(z.maxLength(max, said(`最多 ${max} 个日期。`, `At most ${max} dates.`))),
    z.transform((dates) => [...new Set(dates)].sort()),
  );

const weekday = (date: string) => new Date(`${date}T00:00:00.000Z`).getUTCDay();

/** The checks of a calendar year: each date once in one list, make-up days at weekends. */
const calendarYearBody = (year?: number) =>
  z
    .strictObject({
      holidays: dateList(60),
      workdays: dateList(30),
      expectedVersion: z.number().check(z.int(), z.gte(0), z.lte(maxRecordVersion)),
    })
    .check(
      z.superRefine((value, context) => {
        const problem = (path: 'holidays' | 'workdays', zh: string, en: string) =>
          context.addIssue({ code: 'custom', path: [path], message: said(zh, en).error });
        if (year !== undefined) {
          for (const list of ['holidays', 'workdays'] as const) {
            for (const date of value[list]) {
              if (!date.startsWith(`${year}-`)) {
                problem(
                  list,
                  `${date} 不在 ${year} 年内：每年的安排单独录入。`,
                  `${date} is not in ${year}: each year's calendar is entered on its own.`,
                );
              }
            }
          }
        }
        const off = new Set(value.holidays);
        for (const date of value.workdays) {
          if (off.has(date)) {
            problem(
              'workdays',
              `${date} 不能既是放假日又是调休上班日。`,
              `${date} cannot be both a day off and a make-up working day.`,
            );
          }
          const day = weekday(date);
          if (day !== 0 && day !== 6) {
            problem(
              'workdays',
              `${date} 是工作日，调休上班日应为周六或周日。`,
              `${date} is a weekday: a make-up working day is a Saturday or a Sunday.`,
            );
          }
        }
      }),
    );

/**
 * An administrator's calendar of one year: the days off (法定节假日 and the days joined to
 * them) and the make-up working days (调休上班, always a Saturday or Sunday), as the State
 * Council's General Office publishes them. `expectedVersion` is the version the editor saw:
 * 0 for a year never edited here (from the seed, or not known yet). The year is the path's:
 * the handler holds the dates to it with `calendarYearSchemaFor`.
 */
export const updateCalendarYearSchema = withMeta(calendarYearBody(), { id: 'UpdateCalendarYear' });
export type UpdateCalendarYear = z.output<typeof updateCalendarYearSchema>;

/** The same, for a given year: every date must also fall in it. */
export const calendarYearSchemaFor = (year: number) => calendarYearBody(year);

export const calendarYearParameters = z.object({
  year: withMeta(z.string().check(z.regex(/^20\d{2}$/)), {
    description: 'Year 年份',
    example: '2027',
  }),
});

export const calendarYearSchema = withMeta(
  z.object({
    year: z.number().check(z.int()),
    holidays: z.array(z.string()),
    workdays: z.array(z.string()),
    version: withMeta(z.number().check(z.int(), z.gte(0)), {
      description: 'What an edit sends as expectedVersion; 0 while the year was never edited here.',
    }),
    source: withMeta(z.enum(['seed', 'administrator']), {
      description: 'seed: from the chinese-days package; administrator: entered here.',
    }),
    updatedAt: z.optional(z.string()),
    updatedBy: withMeta(z.optional(z.string()), { description: 'The name of who entered it.' }),
  }),
  { id: 'CalendarYear' },
);
export type CalendarYearView = z.infer<typeof calendarYearSchema>;

// ---------------------------------------------------------------------------------------
// The escalation ladder of a jurisdiction

const nameOf = (step: EscalationStep) => stepNames[step];

const ladderRungSchema = z.strictObject({
  step: z.enum(escalationSteps),
  offsetDays: z
    .number()
    .check(
      z.int(said('天数须为整数。', 'Days must be a whole number.')),
      z.gte(-30, said('最早在期限前 30 天。', 'At most 30 days before the deadline.')),
      z.lte(365, said('最晚在期限后 365 天。', 'At most 365 days after the deadline.')),
    ),
  urgent: z.boolean(),
  recipients: z.array(z.enum(recipients)).check(
    z.minLength(1, said('每一步至少要告知一方。', 'Each step must tell someone.')),
    z.maxLength(recipients.length),
    z.refine(
      (list) => new Set(list).size === list.length,
      said('同一接收方列了两次。', 'A recipient is listed twice.'),
    ),
  ),
});

const officeHoursSchema = z
  .strictObject({
    startHour: z.number().check(z.int(), z.gte(0), z.lte(23)),
    endHour: z.number().check(z.int(), z.gte(1), z.lte(24)),
  })
  .check(
    z.refine((hours) => hours.startHour < hours.endHour, {
      ...said(
        '办公时间的开始须早于结束（例如 9 至 18 时）。',
        'Office hours must start before they end (for example 9 to 18).',
      ),
      path: ['endHour'],
    }),
  );

/** The ladder an administrator edits: the five steps in order, later days for later steps. */
export const escalationLadderSchema = z.array(ladderRungSchema).check(
  z.length(
    escalationSteps.length,
    said(
      '阶梯须包含全部五个步骤：到期提醒、函告、通报、约谈、曝光。',
      'The ladder has all five steps: reminder, notice letter, circular, summons, public exposure.',
    ),
  ),
  z.superRefine((ladder, context) => {
    ladder.forEach((rung, index) => {
      const expected = escalationSteps[index];
      if (expected && rung.step !== expected) {
        context.addIssue({
          code: 'custom',
          path: [index, 'step'],
          message: said(
            `第 ${index + 1} 步应为“${nameOf(expected).zh}”：步骤顺序为到期提醒、函告、通报、约谈、曝光。`,
            `Step ${index + 1} must be the ${nameOf(expected).en}: the steps go reminder, notice letter, circular, summons, public exposure.`,
          ).error,
        });
      }
      const previous = ladder[index - 1];
      if (previous && rung.offsetDays <= previous.offsetDays) {
        context.addIssue({
          code: 'custom',
          path: [index, 'offsetDays'],
          message: said(
            `“${nameOf(rung.step).zh}”的天数（${rung.offsetDays}）须晚于上一步“${nameOf(previous.step).zh}”（${previous.offsetDays}）。`,
            `The ${nameOf(rung.step).en} (${rung.offsetDays} days) must come after the ${nameOf(previous.step).en} (${previous.offsetDays} days).`,
          ).error,
        });
      }
    });
  }),
);

/** The placeholders a message template may use (escalation-messages.ts). */
export const templatePlaceholders = [
  'enterprise',
  'place',
  'hazard',
  'deadline',
  'daysLeft',
  'daysOverdue',
  'expected',
  'link',
] as const;

/** One language of a template: placeholders it does not know are refused by name. */
const templateText = (max: number) =>
  text({ min: 1, max, multiline: true }).check(
    z.superRefine((value, context) => {
      // Any name in braces, not only ASCII ones: {企业} is a mistake to say, not to send.
      for (const [, name = ''] of value.matchAll(/\{([^{}\s]*)\}/g)) {
        if (!(templatePlaceholders as readonly string[]).includes(name)) {
          context.addIssue({
            code: 'custom',
            message: said(
              `未知的占位符 {${name}}：可用 ${templatePlaceholders.map((known) => `{${known}}`).join('、')}。`,
              `Unknown placeholder {${name}}: use ${templatePlaceholders.map((known) => `{${known}}`).join(', ')}.`,
            ).error,
          });
        }
      }
    }),
  );
const bilingualTemplate = (max: number, id: string) =>
  withMeta(z.strictObject({ zh: templateText(max), en: templateText(max) }), { id });
const expectedText = z.optional(bilingualTemplate(300, 'MessageExpectation'));
const stepMessageSchema = withMeta(
  z.strictObject({
    subject: z.optional(bilingualTemplate(120, 'MessageSubjectTemplate')),
    body: z.optional(bilingualTemplate(600, 'MessageBodyTemplate')),
    expected: z.optional(
      z.strictObject({
        default: expectedText,
        enterprise_principal: expectedText,
        enterprise_controller: expectedText,
        assigned_officer: expectedText,
        jurisdiction_departments: expectedText,
        department_head: expectedText,
        leader_in_charge: expectedText,
        principal_leader: expectedText,
        public_page: expectedText,
      }),
    ),
  }),
  { id: 'StepMessageTemplate' },
);

/**
 * A jurisdiction's wording of its steps' messages, over the defaults: any part of any step
 * (issue 14). Absent: the defaults of escalation-messages.ts.
 */
export const escalationMessagesSchema = withMeta(
  z.strictObject({
    reminder: z.optional(stepMessageSchema),
    notice_letter: z.optional(stepMessageSchema),
    circular: z.optional(stepMessageSchema),
    summons: z.optional(stepMessageSchema),
    public_exposure: z.optional(stepMessageSchema),
  }),
  { id: 'EscalationMessages' },
);

/** Who signs off (销号) a verified major hazard here: a second person, never its verifier. */
export const closureSettingsSchema = z.strictObject({
  majorSignOff: z.enum(['department_head', 'officer']),
});

/**
 * How long a tip's three limits are in this jurisdiction (RULES.md, "Time limits on a tip"):
 * acceptance in working days, verification and feedback in calendar days. The 2012 rule's
 * 60 and 10 days are maxima (a jurisdiction may be quicker, never slower); each limit is
 * long enough for its reminder (1 working day, 7 and 3 days before). Applies to tips
 * received, accepted or verified after the edit (the deadline is written when it starts).
 */
export const tipLimitBounds = {
  acceptDays: { min: 2, max: 15 },
  verifyDays: { min: 8, max: 60 },
  feedbackDays: { min: 4, max: 10 },
} as const;
const limitNames = {
  acceptDays: {
    zh: '受理期限',
    en: 'The acceptance limit',
    unit: { zh: '个工作日', en: 'working days' },
  },
  verifyDays: { zh: '核查期限', en: 'The verification limit', unit: { zh: '天', en: 'days' } },
  feedbackDays: { zh: '反馈期限', en: 'The feedback limit', unit: { zh: '天', en: 'days' } },
} as const;
const limitDays = (limit: keyof typeof tipLimitBounds) => {
  const { min, max } = tipLimitBounds[limit];
  const { zh, en, unit } = limitNames[limit];
  const range = said(
    `${zh}须为 ${min} 至 ${max} ${unit.zh}之间的整数。`,
    `${en} must be a whole number of ${unit.en} from ${min} to ${max}.`,
  );
  return z.number(range).check(z.int(range), z.gte(min, range), z.lte(max, range));
};
export const tipLimitsSchema = withMeta(
  z.strictObject({
    acceptDays: limitDays('acceptDays'),
    verifyDays: limitDays('verifyDays'),
    feedbackDays: limitDays('feedbackDays'),
  }),
  { id: 'TipLimits' },
);
export type TipLimitsSettings = z.output<typeof tipLimitsSchema>;

const wholeIn = (min: number, max: number, zh: string, en: string) => {
  const range = said(zh, en);
  return z.number(range).check(z.int(range), z.gte(min, range), z.lte(max, range));
};
/**
 * Look-back re-inspection (回头看) of closed hazards here: how many days after closure, and
 * what share of the general ones (every major one is looked at again). Applies to hazards
 * closed after the edit.
 */
export const lookBackSettingsSchema = withMeta(
  z.strictObject({
    afterDays: wholeIn(
      7,
      180,
      '回头看须在销号后 7 至 180 天之间（整数）。',
      'The look-back must come 7 to 180 days after closure (a whole number).',
    ),
    generalSamplePercent: wholeIn(
      0,
      100,
      '一般隐患的抽查比例须为 0 至 100 之间的整数（百分比）。',
      'The share of general hazards looked at again must be a whole per cent from 0 to 100.',
    ),
  }),
  { id: 'LookBackSettings' },
);

/**
 * How long tips keep the tipster's sealed phone and bank details after their reward matter
 * ended (tips/retention.ts). Applies at the next sweep, to every tip (a longer period
 * keeps what is not yet erased; a shorter one erases sooner).
 */
export const retentionSettingsSchema = withMeta(
  z.strictObject({
    sealedDataDays: wholeIn(
      retentionLimits.minDays,
      retentionLimits.maxDays,
      `举报人联系电话和银行账户的保存期限须为 ${retentionLimits.minDays} 至 ${retentionLimits.maxDays} 天之间的整数。`,
      `The tipster's phone and bank details must be kept ${retentionLimits.minDays} to ${retentionLimits.maxDays} days (a whole number).`,
    ),
  }),
  { id: 'RetentionSettings' },
);

/** The spread window at the start of office hours (escalation.ts: spreadOffsetMs). */
const spreadMinutesSchema = wholeIn(
  0,
  120,
  '错峰时长须为 0 至 120 之间的整数（分钟）。',
  'The spread must be a whole number of minutes from 0 to 120.',
);

/** An administrator's edit of a jurisdiction's ladder (step names come from the step). */
export const updateEscalationPolicySchema = withMeta(
  z.strictObject({
    ladder: escalationLadderSchema,
    officeHours: officeHoursSchema,
    lateAfterMinutes: z.number().check(z.int(), z.gte(0), z.lte(1440)),
    spreadMinutes: withMeta(z.optional(spreadMinutesSchema), {
      description:
        'Non-urgent steps held to the start of office hours come due over this many minutes, each hazard at its own fixed offset. Absent: 30.',
    }),
    closure: withMeta(z.optional(closureSettingsSchema), {
      description: 'Absent: a major hazard is signed off by the department head.',
    }),
    messages: withMeta(z.optional(escalationMessagesSchema), {
      description: "Absent: the default wording of each step's message.",
    }),
    tipLimits: withMeta(z.optional(tipLimitsSchema), {
      description: "Absent: the national defaults of a tip's time limits (3 working days, 60, 10).",
    }),
    lookBack: withMeta(z.optional(lookBackSettingsSchema), {
      description: 'Absent: 30 days after closure, 20% of general hazards, every major one.',
    }),
    retention: withMeta(z.optional(retentionSettingsSchema), {
      description:
        "Absent: a tip's sealed phone and bank details are erased 180 days after its reward matter ended (the time to contest it: 60 days for reconsideration, six months for a suit).",
    }),
    expectedVersion: withMeta(z.number().check(z.int(), z.gte(0), z.lte(maxRecordVersion)), {
      description:
        'The version the editor saw: 0 while the jurisdiction follows the national default.',
    }),
  }),
  { id: 'UpdateEscalationPolicy' },
);
export type UpdateEscalationPolicy = z.output<typeof updateEscalationPolicySchema>;

export const escalationLadderViewSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    ladder: z.array(
      z.object({
        step: z.enum(escalationSteps),
        offsetDays: z.number().check(z.int()),
        urgent: z.boolean(),
        recipients: z.array(z.enum(recipients)),
        name: z.object({ zh: z.string(), en: z.string() }),
      }),
    ),
    officeHours: z.object({
      startHour: z.number().check(z.int()),
      endHour: z.number().check(z.int()),
    }),
    lateAfterMinutes: z.number().check(z.int()),
    spreadMinutes: withMeta(z.number().check(z.int()), {
      description:
        'The spread window at the start of office hours in force here (30 until edited).',
    }),
    closure: z.optional(closureSettingsSchema),
    messages: z.optional(escalationMessagesSchema),
    tipLimits: withMeta(tipLimitsSchema, {
      description: "A tip's time limits in force here (the national defaults until edited).",
    }),
    lookBack: withMeta(lookBackSettingsSchema, {
      description: 'Look-back re-inspection in force here (the defaults until edited).',
    }),
    retention: withMeta(retentionSettingsSchema, {
      description:
        'How long tips keep sealed personal data here (180 days after the reward matter until edited).',
    }),
    version: z.number().check(z.int(), z.gte(0)),
    source: withMeta(z.enum(['national_default', 'administrator']), {
      description:
        "national_default: RULES.md's ladder; administrator: edited for this jurisdiction.",
    }),
    updatedAt: z.optional(z.string()),
    updatedBy: z.optional(z.string()),
  }),
  { id: 'EscalationLadder' },
);
export type EscalationLadderView = z.infer<typeof escalationLadderViewSchema>;

// ---------------------------------------------------------------------------------------
// The contact lists of a jurisdiction

const recipientNames: Record<JurisdictionRecipient, { zh: string; en: string }> = {
  assigned_officer: { zh: '承办监管人员', en: 'the assigned officer' },
  jurisdiction_departments: { zh: '辖区各部门', en: "the jurisdiction's departments" },
  department_head: { zh: '科室负责人', en: 'the department head' },
  leader_in_charge: { zh: '分管领导', en: 'the leader in charge' },
  principal_leader: { zh: '主要领导', en: 'the principal leader' },
  reward_officer: { zh: '奖励专员', en: 'the reward officers' },
};

export const maxContactsPerRecipient = 10;

/** One recipient's contacts: each once (as normalised: +86 138… and 138… are the same). */
const contactList = z.array(contactSchema).check(
  z.maxLength(
    maxContactsPerRecipient,
    said(
      `每个接收方最多 ${maxContactsPerRecipient} 个联系方式。`,
      `At most ${maxContactsPerRecipient} contacts per recipient.`,
    ),
  ),
  z.refine(
    (list) => new Set(list.map((contact) => JSON.stringify(contact))).size === list.length,
    said('同一联系方式列了两次。', 'A contact is listed twice.'),
  ),
);

const contactListsShape = {
  assigned_officer: z._default(contactList, []),
  jurisdiction_departments: z._default(contactList, []),
  department_head: z._default(contactList, []),
  leader_in_charge: z._default(contactList, []),
  principal_leader: z._default(contactList, []),
  reward_officer: z._default(contactList, []),
} satisfies Record<JurisdictionRecipient, z.ZodMiniType>;

const onlyOfficeRecipients = said(
  `只能为${jurisdictionRecipients.map((recipient) => recipientNames[recipient].zh).join('、')}录入联系方式；企业主要负责人和实际控制人按企业档案中的手机号通知。`,
  `Contacts are kept for ${jurisdictionRecipients.map((recipient) => recipientNames[recipient].en).join(', ')}; an enterprise's principal and actual controller are reached at the mobiles of the enterprise register.`,
).error;

/**
 * Who each office recipient of a jurisdiction is, as its administrators keep it: for each,
 * the e-mail addresses, mainland mobiles and group robots (WeCom, DingTalk; https only)
 * that its notifications reach. A recipient left out has no contacts.
 */
export const jurisdictionContactListsSchema = z.strictObject(contactListsShape, {
  error: (issue) => (issue.code === 'unrecognized_keys' ? onlyOfficeRecipients : undefined),
});
export type JurisdictionContactLists = z.output<typeof jurisdictionContactListsSchema>;

/** An administrator's edit of a jurisdiction's contact lists: the lists replace the stored ones. */
export const updateJurisdictionContactsSchema = withMeta(
  z.strictObject({
    contacts: jurisdictionContactListsSchema,
    expectedVersion: withMeta(z.number().check(z.int(), z.gte(0), z.lte(maxRecordVersion)), {
      description: 'The version the editor saw: 0 while the jurisdiction has no contact lists.',
    }),
  }),
  { id: 'UpdateJurisdictionContacts' },
);
export type UpdateJurisdictionContacts = z.output<typeof updateJurisdictionContactsSchema>;

const contactViewSchema = withMeta(
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('email'), address: z.string() }),
    z.object({ kind: z.literal('sms'), phone: z.string() }),
    z.object({ kind: z.literal('wecom'), url: z.string() }),
    z.object({ kind: z.literal('dingtalk'), url: z.string(), secret: z.optional(z.string()) }),
  ]),
  { id: 'Contact' },
);

const contactListsViewShape = {
  assigned_officer: z.array(contactViewSchema),
  jurisdiction_departments: z.array(contactViewSchema),
  department_head: z.array(contactViewSchema),
  leader_in_charge: z.array(contactViewSchema),
  principal_leader: z.array(contactViewSchema),
  reward_officer: z.array(contactViewSchema),
} satisfies Record<JurisdictionRecipient, z.ZodMiniType>;

/** A jurisdiction's contact lists as its administrators read them (personal data: theirs only). */
export const jurisdictionContactsSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    contacts: z.object(contactListsViewShape),
    version: withMeta(z.number().check(z.int(), z.gte(0)), {
      description: 'What an edit sends as expectedVersion; 0 while nothing is stored.',
    }),
    updatedAt: z.optional(z.string()),
    updatedBy: withMeta(z.optional(z.string()), {
      description: 'The name of who made the last edit.',
    }),
    edits: withMeta(
      z.array(
        z.object({
          version: z.number().check(z.int(), z.gte(1)),
          at: z.string(),
          by: withMeta(z.string(), { description: 'The name of who edited.' }),
          changed: withMeta(z.array(z.enum(jurisdictionRecipients)), {
            description: 'The recipients whose contacts the edit changed (never the values).',
          }),
        }),
      ),
      { description: 'Every edit, oldest first: who and when, not what was there before.' },
    ),
  }),
  { id: 'JurisdictionContacts' },
);
export type JurisdictionContactsView = z.infer<typeof jurisdictionContactsSchema>;

// ---------------------------------------------------------------------------------------

export const policiesSchema = withMeta(
  z.object({
    calendar: z.object({
      years: z.array(calendarYearSchema),
      warnings: z.array(
        z.object({
          code: z.string(),
          year: z.number().check(z.int()),
          message: z.object({ zh: z.string(), en: z.string() }),
        }),
      ),
    }),
    escalation: withMeta(z.array(escalationLadderViewSchema), {
      description: "The ladders of the caller's own jurisdictions.",
    }),
    rewards: withMeta(z.array(rewardPolicyViewSchema), {
      description: "The reward policies in force in the caller's own jurisdictions.",
    }),
  }),
  { id: 'Policies' },
);
export type PoliciesView = z.infer<typeof policiesSchema>;
