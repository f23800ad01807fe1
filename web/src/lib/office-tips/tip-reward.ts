import { formatYuan } from '@qingling/shared/rewards/reward-policy.ts';
import { m } from '#lib/paraglide/messages.js';

export { formatYuan };

/** Yuan as typed ("12,000", "1851.75", full-width digits) to integer fen; undefined if not money. */
export function fenFromYuan(typed: string): number | undefined {
  const plain = typed.normalize('NFKC').replaceAll(',', '').trim();
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(plain);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export const accidentGradeNames = {
  general: m.tr_accident_general,
  larger: m.tr_accident_larger,
  major: m.tr_accident_major,
  especially_major: m.tr_accident_especially_major,
} as const;

export const accidentGradeOptions = () =>
  (Object.keys(accidentGradeNames) as (keyof typeof accidentGradeNames)[]).map((value) => ({
    value,
    label: accidentGradeNames[value](),
  }));

const tipIdPattern = /^[a-z2-7]{26}$/;

/**
 * The joint tips' ids as typed: one a line, or separated by commas (also 、，) or spaces;
 * full-width letters and upper case made plain. `malformed`: something typed is no tip id;
 * `twice`: an id is listed twice (the server refuses both, less plainly).
 */
export function jointTipIdsOf(typed: string): {
  tipIds: string[];
  malformed: boolean;
  twice: boolean;
} {
  const tipIds = typed
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s,，、;；]+/)
    .filter(Boolean);
  return {
    tipIds,
    malformed: tipIds.some((id) => !tipIdPattern.test(id)),
    twice: new Set(tipIds).size !== tipIds.length,
  };
}
