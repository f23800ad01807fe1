import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import { getLocale, type Locale, localizeHref } from '#lib/paraglide/runtime.js';

/** The key of the current locale in the API's bilingual texts ({ zh, en }). */
export const textKey = (locale: Locale = getLocale()): keyof Bilingual =>
  locale === 'en' ? 'en' : 'zh';

/** A bilingual text (from the API or the shared domain) in the current language. */
export const text = (value: Bilingual): string => value[textKey()];

/** An app path in the current language: `/office` → `/en/office` when reading English. */
export const href = (path: string): string => localizeHref(path);

/** The list separator of the current language. */
export const listSeparator = (): string => (textKey() === 'en' ? ', ' : '、');

/** What follows a label in the current language: "：" in Chinese, ": " in English. */
export const colon = (): string => (textKey() === 'en' ? ': ' : '：');
