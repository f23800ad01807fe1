import { cstDate } from '../calendar/calendar.ts';
import type {
  EscalationStep,
  EscalationTemplate,
  EscalationTemplateOverrides,
  Recipient,
} from '../hazards/escalation.ts';
import type { Bilingual } from '../i18n/text.ts';

/**
 * What each escalation step says (issue 14, "Messages that say what they are"): bilingual
 * templates, policy data. The defaults are here; a jurisdiction's policy may replace any
 * part of a step's template (EscalationPolicy.messages). Placeholders in braces:
 *
 *   {enterprise}  the enterprise's name (its credit code when the register has no name)
 *   {place}       where the hazard is
 *   {hazard}      the hazard's short description
 *   {deadline}    the rectification deadline, as a CST date
 *   {daysLeft}    days until the deadline, a part day counted whole (the reminder)
 *   {daysOverdue} days past the deadline's day, in CST dates
 *   {expected}    what is expected of this recipient (the template's `expected`)
 *   {link}        where to see the hazard (office recipients); for the enterprise, its own
 *                 link signed afresh (empty where the deployment signs none)
 *
 * A placeholder the renderer does not know is left as written, so a typo shows.
 */
export type { EscalationTemplate, EscalationTemplateOverrides } from '../hazards/escalation.ts';
export type EscalationTemplates = Record<EscalationStep, EscalationTemplate>;

export const defaultEscalationTemplates: EscalationTemplates = {
  reminder: {
    subject: {
      zh: '到期提醒：{enterprise}（{place}）隐患整改还有 {daysLeft} 天到期',
      en: 'Reminder: {enterprise} ({place}) has {daysLeft} day(s) left to fix a hazard',
    },
    body: {
      zh: '{enterprise}位于{place}的隐患“{hazard}”整改期限为 {deadline}，还有 {daysLeft} 天。{expected}{link}',
      en: 'The hazard "{hazard}" at {place}, {enterprise}, must be fixed by {deadline}: {daysLeft} day(s) left. {expected}{link}',
    },
    expected: {
      default: {
        zh: '请在期限前完成整改，并通过监管人员发送的链接提交整改情况。',
        en: 'Finish the fix before the deadline and report it through the link the officer sent.',
      },
      assigned_officer: {
        zh: '请督促企业按期完成整改，并及时核查。',
        en: 'See that the enterprise finishes on time, and verify the fix promptly.',
      },
    },
  },
  notice_letter: {
    subject: {
      zh: '函告：{enterprise}（{place}）隐患整改已逾期 {daysOverdue} 天',
      en: 'Notice letter: {enterprise} ({place}) is {daysOverdue} day(s) late fixing a hazard',
    },
    body: {
      zh: '{enterprise}：贵单位位于{place}的隐患“{hazard}”整改期限为 {deadline}，现已逾期 {daysOverdue} 天。{expected}{link}',
      en: '{enterprise}: the hazard "{hazard}" at {place} was to be fixed by {deadline} and is now {daysOverdue} day(s) overdue. {expected}{link}',
    },
    expected: {
      default: {
        zh: '请主要负责人、实际控制人立即组织整改，并书面说明逾期原因及完成时间。',
        en: 'The principal and the actual controller must have it fixed at once and explain in writing why it is late and when it will be done.',
      },
    },
  },
  circular: {
    subject: {
      zh: '通报：{enterprise}（{place}）隐患整改逾期 {daysOverdue} 天',
      en: 'Circular: {enterprise} ({place}) is {daysOverdue} day(s) late fixing a hazard',
    },
    body: {
      zh: '现通报：{enterprise}位于{place}的隐患“{hazard}”整改期限为 {deadline}，已逾期 {daysOverdue} 天仍未整改完成。{expected}{link}',
      en: 'For circulation: {enterprise} has not fixed the hazard "{hazard}" at {place}, due {deadline}, {daysOverdue} day(s) overdue. {expected}{link}',
    },
    expected: {
      default: {
        zh: '请各部门知悉，并按职责督促整改。',
        en: 'Departments: take note and press for the fix within your duties.',
      },
      department_head: {
        zh: '请科室负责人督办，并研究是否需要约谈企业。',
        en: 'Department head: supervise the fix and consider summoning the enterprise.',
      },
    },
  },
  summons: {
    subject: {
      zh: '约谈：{enterprise}（{place}）隐患整改逾期 {daysOverdue} 天',
      en: 'Summons: {enterprise} ({place}) is {daysOverdue} day(s) late fixing a hazard',
    },
    body: {
      zh: '{enterprise}位于{place}的隐患“{hazard}”整改期限为 {deadline}，已逾期 {daysOverdue} 天，经函告、通报仍未整改完成。{expected}{link}',
      en: '{enterprise} has not fixed the hazard "{hazard}" at {place}, due {deadline}, {daysOverdue} day(s) overdue, after a notice letter and a circular. {expected}{link}',
    },
    expected: {
      default: {
        zh: '请分管领导约谈企业主要负责人，明确整改时限和责任。',
        en: "Leader in charge: summon the enterprise's principal and fix a time limit and who answers for it.",
      },
    },
  },
  public_exposure: {
    subject: {
      zh: '曝光、挂牌督办：{enterprise}（{place}）隐患整改逾期 {daysOverdue} 天',
      en: 'Public exposure and listed supervision: {enterprise} ({place}), {daysOverdue} day(s) late',
    },
    body: {
      zh: '{enterprise}位于{place}的隐患“{hazard}”整改期限为 {deadline}，已逾期 {daysOverdue} 天，经约谈仍未整改完成，予以曝光并挂牌督办。{expected}{link}',
      en: '{enterprise} has not fixed the hazard "{hazard}" at {place}, due {deadline}, {daysOverdue} day(s) overdue even after a summons: it is exposed and put under listed supervision. {expected}{link}',
    },
    expected: {
      default: {
        zh: '请主要领导挂牌督办，直至整改销号。',
        en: 'Principal leader: supervise it by name until it is fixed and closed.',
      },
      public_page: {
        zh: '公开曝光，接受社会监督。',
        en: 'Published for public scrutiny.',
      },
    },
  },
};

/** What a step's message is about. */
export interface EscalationMessageFacts {
  hazardId: string;
  enterpriseName: string;
  place: string;
  description: string;
  /** The round's deadline (an instant: 24:00 CST of the deadline day). */
  deadline: string;
  /** When the message is composed. */
  now: Date;
  late: boolean;
  /** The site's address, for an absolute link; absent: a path on the site. */
  siteUrl?: string;
  /** The enterprise page with a fresh token, for the enterprise's recipients. */
  enterpriseLinks?: Bilingual;
}

const dayMs = 24 * 3600 * 1000;
/** A hazard's description, short enough for an SMS. */
const shortDescription = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);

/** The step's template with a jurisdiction's changes over the defaults. */
export function escalationTemplate(
  step: EscalationStep,
  overrides?: EscalationTemplateOverrides,
): EscalationTemplate {
  const base = defaultEscalationTemplates[step];
  const own = overrides?.[step];
  if (!own) return base;
  return {
    subject: own.subject ?? base.subject,
    body: own.body ?? base.body,
    expected: { ...base.expected, ...own.expected } as EscalationTemplate['expected'],
  };
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? (values[name] ?? '') : whole,
  );

/** The message one recipient of a step gets: subject and body, in both languages. */
export function renderEscalationMessage(
  step: EscalationStep,
  recipient: Recipient,
  facts: EscalationMessageFacts,
  overrides?: EscalationTemplateOverrides,
): { subject: Bilingual; body: Bilingual } {
  const template = escalationTemplate(step, overrides);
  const deadline = new Date(facts.deadline);
  const untilDeadline = deadline.getTime() - facts.now.getTime();
  const path = `/office/hazards/view?id=${encodeURIComponent(facts.hazardId)}`;
  const url = `${facts.siteUrl?.replace(/\/$/, '') ?? ''}${path}`;
  const officeRecipient = !recipient.startsWith('enterprise_');
  const expected = template.expected[recipient] ?? template.expected.default;
  const day = cstDate(new Date(deadline.getTime() - 1));
  const values = (language: 'zh' | 'en') => ({
    enterprise: facts.enterpriseName,
    place: facts.place,
    hazard: shortDescription(facts.description),
    deadline: day,
    daysLeft: String(Math.max(0, Math.ceil(untilDeadline / dayMs))),
    // Overdue as people count it: the CST date now less the deadline's day (the 11th is
    // one day past a deadline on the 10th, whatever the hour).
    daysOverdue: String(
      Math.max(0, Math.round((Date.parse(cstDate(facts.now)) - Date.parse(day)) / dayMs)),
    ),
    expected: expected[language],
    link: officeRecipient
      ? language === 'zh'
        ? `\n查看隐患：${url}`
        : `\nSee the hazard: ${url}`
      : facts.enterpriseLinks
        ? language === 'zh'
          ? `\n提交整改情况：${facts.enterpriseLinks.zh}`
          : `\nReport the fix: ${facts.enterpriseLinks.en}`
        : '',
  });
  const late = { zh: facts.late ? '（补发）' : '', en: facts.late ? ' (sent late)' : '' };
  return {
    subject: {
      zh: `${fill(template.subject.zh, values('zh'))}${late.zh}`,
      en: `${fill(template.subject.en, values('en'))}${late.en}`,
    },
    body: { zh: fill(template.body.zh, values('zh')), en: fill(template.body.en, values('en')) },
  };
}
