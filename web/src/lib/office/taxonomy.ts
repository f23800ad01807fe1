import taxonomy from '@qingling/shared/data/taxonomy.json' with { type: 'json' };
import type { Bilingual } from '@qingling/shared/i18n/text.ts';

/**
 * The industries and their major-hazard determination standards, from the shared taxonomy
 * (a few KB, bundled at build time: there is no taxonomy API yet). A standard is cited as
 * "reference name", e.g. "GB 35181-2025 重大火灾隐患判定规则".
 */
export interface IndustryChoice extends Bilingual {
  code: string;
  standards: string[];
}

export const industries: IndustryChoice[] = taxonomy.industries.map(
  ({ code, zh, en, standards }) => ({
    code,
    zh,
    en,
    standards: standards.map((standard) => `${standard.ref} ${standard.zh}`),
  }),
);

const byCode = new Map(industries.map((industry) => [industry.code, industry]));

export const industryByCode = (code: string): IndustryChoice | undefined => byCode.get(code);

/** An industry as a person may write it in a spreadsheet: its code, or its name in either language. */
export function industryCodeFor(written: string): string {
  const wanted = written.trim();
  const folded = wanted.toLowerCase();
  const found = industries.find(
    (industry) =>
      industry.code === folded || industry.zh === wanted || industry.en.toLowerCase() === folded,
  );
  return found?.code ?? wanted;
}
