import { excerptOf } from '@qingling/shared/i18n/excerpt.ts';
import type { DuplicateReason } from '@qingling/shared/tips/duplicates.ts';
import { listSeparator } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';

const reasonNames: Record<DuplicateReason, () => string> = {
  enterprise: m.tp_duplicate_same_enterprise,
  address: m.tp_duplicate_same_address,
  text: m.tp_duplicate_similar_text,
};

/** Why two tips look alike, in words: "同一单位、内容相似". */
export const duplicateReasons = (reasons: readonly DuplicateReason[]): string =>
  reasons.map((reason) => reasonNames[reason]()).join(listSeparator());

/** A few words that name a tip among others: the start of its text. */
export const shortExcerpt = (excerpt: string): string => excerptOf(excerpt, 24);
