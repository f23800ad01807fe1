import { cstDate } from '../calendar/calendar.ts';
import type { Bilingual } from '../i18n/text.ts';

/**
 * The SMS that hands the enterprise its link (issue 14, "the enterprise link is sent by
 * SMS when a hazard is recorded"): who it is from, which party and place, the deadline and
 * the link, in both languages. It is built from the hazard's facts only: nothing of a tip
 * (its text, its channel, its tipster) ever goes into it.
 */
export interface EnterpriseLinkMessageFacts {
  /** The enterprise's registered name, or the place's name (partyName). */
  partyName: string;
  place: string;
  /** The round's deadline (an instant: 24:00 CST of the deadline day). */
  deadline: string;
  /** The link in each language (the enterprise page with the token after the #). */
  links: Bilingual;
}

export function enterpriseLinkMessage(facts: EnterpriseLinkMessageFacts): {
  subject: Bilingual;
  body: Bilingual;
} {
  // The deadline's day as people say it: 24:00 on the 10th is "the 10th".
  const day = cstDate(new Date(new Date(facts.deadline).getTime() - 1));
  return {
    subject: {
      zh: `隐患整改通知：${facts.partyName}（${facts.place}）`,
      en: `Hazard to fix: ${facts.partyName} (${facts.place})`,
    },
    body: {
      zh: `${facts.partyName}：监管部门在${facts.place}发现安全隐患，须于 ${day} 前整改完毕。请打开以下链接查看整改要求，并提交整改方案、进展和整改照片（无需注册）：${facts.links.zh}`,
      en: `${facts.partyName}: the safety office found a hazard at ${facts.place}, to be fixed by ${day}. Open this link to see what is required and send your plan, progress and photos of the fix (no account needed): ${facts.links.en}`,
    },
  };
}

/**
 * The enterprise page's address in each language, the token after the # so that it never
 * reaches a server log (the console's EnterpriseLinkPanel builds the same).
 */
export function enterpriseLinkUrls(token: string, siteUrl?: string): Bilingual {
  const origin = siteUrl?.replace(/\/$/, '') ?? '';
  return { zh: `${origin}/enterprise/#${token}`, en: `${origin}/en/enterprise/#${token}` };
}

/** How long a texted link opens the hazard: the deadline and 60 days more, for late fixes. */
export const textedLinkDaysAfterDeadline = 60;
