import type { Bilingual } from '../i18n/text.ts';

/**
 * A major hazard's determination standard and clause, as a sentence cites them. Officers
 * type the clause as the standard numbers it: a bare number ("5.1.1", "十二") reads
 * 第 5.1.1 条 / clause 5.1.1, but a clause that already says where it is ("第五条第（二）项",
 * "附录A 第3款") is cited as typed, never wrapped in a second 第…条.
 */
export function citeStandard(standard: { ref: string; clause: string }): Bilingual {
  const clause = standard.clause.trim();
  const placed = /[第条款项章节附表]/.test(clause);
  const chinese = /[\u3400-\u9fff（）]/.test(clause);
  return {
    zh: placed ? `${standard.ref}，${clause}` : `${standard.ref}，第 ${clause} 条`,
    en: chinese ? `${standard.ref}, ${clause}` : `${standard.ref}, clause ${clause}`,
  };
}
