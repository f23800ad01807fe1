import type { EscalationStep } from '@qingling/shared/hazards/escalation.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import { defaultEscalationTemplates } from '@qingling/shared/notifications/escalation-messages.ts';
import type {
  escalationLadderViewSchema,
  policiesSchema,
  templatePlaceholders,
  UpdateEscalationPolicy,
} from '@qingling/shared/policies/schemas.ts';
import type * as z from 'zod/mini';
import type { FieldIssue } from '#lib/api.ts';

/**
 * The administrator's policy page (/office/admin/policies): a jurisdiction's escalation
 * ladder with each step's message, and a tip's time limits, saved through the versioned
 * updateEscalationPolicy (one item, one version: each form sends the whole policy as read,
 * with its own part changed). Pure: the requests are in admin-policy-api.ts.
 */
export type LadderView = z.output<typeof escalationLadderViewSchema>;
export type PoliciesView = z.output<typeof policiesSchema>;
export type Placeholder = (typeof templatePlaceholders)[number];

/** The policy as read, with `change` over it: what the PUT sends. */
export function editOf(
  view: LadderView,
  change: Partial<Omit<UpdateEscalationPolicy, 'expectedVersion'>>,
): UpdateEscalationPolicy {
  return {
    ladder: view.ladder.map(({ name: _, ...rung }) => ({
      ...rung,
      recipients: [...rung.recipients],
    })),
    officeHours: { ...view.officeHours },
    lateAfterMinutes: view.lateAfterMinutes,
    spreadMinutes: view.spreadMinutes,
    ...(view.closure ? { closure: { ...view.closure } } : {}),
    // A copy by JSON, not structuredClone: the page's view is a Svelte state proxy.
    ...(view.messages ? { messages: JSON.parse(JSON.stringify(view.messages)) } : {}),
    tipLimits: { ...view.tipLimits },
    lookBack: { ...view.lookBack },
    retention: { ...view.retention },
    ...change,
    expectedVersion: view.version,
  };
}

/** A step's subject and body as the form shows them: the jurisdiction's, else the default. */
export interface StepWording {
  subject: Bilingual;
  body: Bilingual;
}

export function wordingOf(view: LadderView, step: EscalationStep): StepWording {
  const own = view.messages?.[step];
  const fallback = defaultEscalationTemplates[step];
  return {
    subject: { ...(own?.subject ?? fallback.subject) },
    body: { ...(own?.body ?? fallback.body) },
  };
}

const same = (a: Bilingual, b: Bilingual) => a.zh === b.zh && a.en === b.en;

/**
 * The messages to store: the wording as typed where it differs from the default (the
 * default kept as the default, so a better default reaches this jurisdiction too); the
 * `expected` parts, which this page does not edit, as they were.
 */
export function messagesOf(
  view: LadderView,
  typed: Record<EscalationStep, StepWording>,
): UpdateEscalationPolicy['messages'] {
  const messages: NonNullable<UpdateEscalationPolicy['messages']> = {};
  for (const step of Object.keys(typed) as EscalationStep[]) {
    const wording = typed[step];
    const fallback = defaultEscalationTemplates[step];
    const expected = view.messages?.[step]?.expected;
    const part = {
      ...(same(wording.subject, fallback.subject) ? {} : { subject: { ...wording.subject } }),
      ...(same(wording.body, fallback.body) ? {} : { body: { ...wording.body } }),
      ...(expected ? { expected } : {}),
    };
    if (Object.keys(part).length) messages[step] = part;
  }
  return Object.keys(messages).length ? messages : undefined;
}

/** The server's issues by path ("tipLimits.acceptDays", "messages.circular.subject.zh"). */
export function issuesByPath(issues: readonly FieldIssue[]): Record<string, Bilingual> {
  const byPath: Record<string, Bilingual> = {};
  for (const issue of issues) byPath[issue.path] ??= issue.message;
  return byPath;
}

/** What each placeholder stands for (escalation-messages.ts). */
export const placeholderMeanings: Record<Placeholder, Bilingual> = {
  enterprise: {
    zh: '企业名称（企业档案无名称时为统一社会信用代码）',
    en: "the enterprise's name (its credit code when the register has no name)",
  },
  place: { zh: '隐患所在位置', en: 'where the hazard is' },
  hazard: { zh: '隐患简述', en: "the hazard's short description" },
  deadline: { zh: '整改期限（北京时间日期）', en: 'the rectification deadline (a CST date)' },
  daysLeft: { zh: '距期限还有几天（到期提醒用）', en: 'days until the deadline (the reminder)' },
  daysOverdue: { zh: '已逾期天数', en: 'days past the deadline' },
  expected: {
    zh: '对该接收方的具体要求（按接收方设定）',
    en: 'what is expected of this recipient (set per recipient)',
  },
  link: {
    zh: '查看隐患的链接（仅发给机关接收方，发给企业时为空）',
    en: 'where to see the hazard (office recipients; empty for the enterprise)',
  },
};

/** The page's words, zh and en side by side (read with `text`). */
export const words = {
  nav: { zh: '政策管理', en: 'Policies' },
  title: { zh: '政策管理', en: 'Policies' },
  intro: {
    zh: '本辖区的督办阶梯、各步骤的告知文本和举报处理时限。修改只对之后的举报和尚未发出的督办步骤生效；每次保存都记录版本、修改人和时间。',
    en: "This jurisdiction's escalation ladder, each step's message and the time limits on a tip. A change applies to tips received after it and to steps not yet sent; every save records the version, who and when.",
  },
  jurisdiction: { zh: '辖区', en: 'Jurisdiction' },
  show: { zh: '查看', en: 'Show' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  versionDefault: {
    zh: '版本 0：全国默认，尚未修改。',
    en: 'Version 0: the national default, never edited here.',
  },
  version: { zh: '版本', en: 'Version' },
  editedBy: { zh: '修改人', en: 'edited by' },
  editedAt: { zh: '修改时间', en: 'at' },
  tipLimits: { zh: '举报处理时限', en: 'Time limits on a tip' },
  tipLimitsNote: {
    zh: '对修改之后收到（受理、核查）的举报生效，已在计时的期限不变。',
    en: 'Applies to tips received (accepted, verified) after the change; limits already running keep their deadline.',
  },
  acceptDays: { zh: '受理期限（工作日）', en: 'Acceptance (working days)' },
  verifyDays: { zh: '核查期限（天，自受理起）', en: 'Verification (days from acceptance)' },
  feedbackDays: { zh: '反馈期限（天，自核查结束起）', en: 'Feedback (days from the result)' },
  acceptHint: {
    zh: '2 至 15 个工作日，默认 3。',
    en: '2 to 15 working days; 3 by default.',
  },
  verifyHint: {
    zh: '8 至 60 天，默认 60（2012 年规定的上限）。',
    en: '8 to 60 days; 60 by default (the 2012 rule’s maximum).',
  },
  feedbackHint: {
    zh: '4 至 10 天，默认 10（2012 年规定的上限）。',
    en: '4 to 10 days; 10 by default (the 2012 rule’s maximum).',
  },
  saveLimits: {
    zh: '保存处理时限、回头看与保存期限',
    en: 'Save the time limits, look-back and retention',
  },
  lookBack: { zh: '回头看（销号后复查）', en: 'Look-back (re-inspection after closure)' },
  afterDays: { zh: '销号后第几天复查', en: 'Days after closure' },
  afterDaysHint: { zh: '7 至 180 天，默认 30。', en: '7 to 180 days; 30 by default.' },
  generalSamplePercent: {
    zh: '一般隐患抽查比例（%）',
    en: 'General hazards sampled (%)',
  },
  samplePercentHint: {
    zh: '0 至 100，默认 20；重大隐患全部复查。对之后销号的隐患生效。',
    en: '0 to 100; 20 by default. Every major hazard is looked at again. Applies to hazards closed after the change.',
  },
  retention: {
    zh: '举报人个人信息保存期限',
    en: "How long a tipster's personal data are kept",
  },
  sealedDataDays: {
    zh: '奖励事项结束后保存天数',
    en: 'Days kept after the reward matter ends',
  },
  sealedDataDaysHint: {
    zh: '30 至 3650 天，默认 180（申请行政复议 60 日、提起行政诉讼 6 个月的期限）。奖励兑付、失效或举报不予奖励后，到期即删除加密保存的联系电话和银行账户，下次每日清理时对所有举报生效。',
    en: 'From 30 to 3,650 days; 180 by default (60 days to seek reconsideration, six months to sue). Once a reward is paid or lapses, or a tip can earn none, the sealed phone and bank details are erased when this runs out; the daily sweep applies a change to every tip.',
  },
  ladder: { zh: '督办阶梯与告知文本', en: 'Escalation ladder and messages' },
  ladderNote: {
    zh: '天数相对整改期限计算（负数为期限前）。已发出的步骤不会重发，未发出的步骤按新设置执行。',
    en: 'Days count from the rectification deadline (negative: before it). A step already sent is never sent again; the steps to come follow the new settings.',
  },
  spreadMinutes: { zh: '错峰时长（分钟）', en: 'Spread (minutes)' },
  spreadHint: {
    zh: '夜间、周末或节假日到期的非紧急步骤顺延到办公时间开始时，各隐患在此时长内按各自固定的时刻错开发出，不在同一秒集中发送。0 至 120，默认 30；0 为全部在办公时间开始时发出。',
    en: 'Non-urgent steps held over a night, a weekend or a holiday come due within this many minutes of office hours beginning, each hazard at its own fixed time, not all in the same second. 0 to 120; 30 by default; 0: all as office hours begin.',
  },
  offsetDays: { zh: '相对期限的天数', en: 'Days from the deadline' },
  urgent: { zh: '紧急（不等办公时间）', en: 'Urgent (not held to office hours)' },
  recipients: { zh: '告知对象', en: 'Who is told' },
  subjectZh: { zh: '标题（中文）', en: 'Subject (Chinese)' },
  subjectEn: { zh: '标题（英文）', en: 'Subject (English)' },
  bodyZh: { zh: '正文（中文）', en: 'Body (Chinese)' },
  bodyEn: { zh: '正文（英文）', en: 'Body (English)' },
  placeholders: { zh: '可用的占位符', en: 'Placeholders you can use' },
  placeholdersNote: {
    zh: '在文本中写 {占位符名}，发送时替换为实际内容；其他花括号内容会被拒绝。',
    en: 'Write {name} in the text and it is replaced when the message is sent; any other name in braces is refused.',
  },
  saveLadder: { zh: '保存督办阶梯与文本', en: 'Save the ladder and messages' },
  saved: { zh: '已保存，当前为版本', en: 'Saved: now version' },
  conflict: {
    zh: '保存前已有他人修改了本辖区的政策。已重新载入最新版本，请核对后再保存。',
    en: "Someone changed this jurisdiction's policy before you saved. The latest version is loaded: check it and save again.",
  },
  invalid: {
    zh: '未保存：请按提示修改标出的内容。',
    en: 'Not saved: fix what is marked.',
  },
  noLadder: {
    zh: '没有找到该辖区的政策。',
    en: 'There is no policy for this jurisdiction.',
  },
} satisfies Record<string, Bilingual>;
