import type { JurisdictionRecord, UpdateJurisdiction } from '@qingling/shared/api/schemas.ts';
import type { FieldIssue } from '@qingling/shared/api/validation.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';

/**
 * The administrator's jurisdiction page (/office/admin/jurisdiction): the jurisdiction's
 * names and the units under it (村/社区), which the public report form and the office's forms
 * offer, saved through the versioned updateJurisdiction. Pure: the check before sending is in
 * admin-jurisdiction-check.ts (the navigation reads these words on every page, and the
 * schemas are not light).
 */
export type { JurisdictionRecord };

/** The form as typed: the units one per line, as offices keep such lists. */
export interface JurisdictionForm {
  zh: string;
  en: string;
  units: string;
}

export const formOf = (record: JurisdictionRecord): JurisdictionForm => ({
  zh: record.zh,
  en: record.en,
  units: record.units.join('\n'),
});

/** The lines that name a unit: blank lines and the spaces around a name are not units. */
export const unitLines = (typed: string): string[] =>
  typed
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** What the PUT sends, naming the version read. */
export const jurisdictionEditOf = (
  record: JurisdictionRecord,
  form: JurisdictionForm,
): UpdateJurisdiction => ({
  zh: form.zh.trim(),
  en: form.en.trim(),
  units: unitLines(form.units),
  expectedVersion: record.version,
});

/**
 * The schema names a unit by its place in the list (`units.3`); the page has one box for
 * them all, so such an issue is said there with the unit it is about.
 */
export function unitIssuesInTheBox(
  issues: readonly FieldIssue[],
  units: readonly string[],
): FieldIssue[] {
  return issues.map((issue) => {
    const match = /^units\.(\d+)/.exec(issue.path);
    if (!match) return issue;
    const unit = units[Number(match[1])] ?? '';
    return {
      path: 'units',
      message: {
        zh: `“${unit}”：${issue.message.zh}`,
        en: `“${unit}”: ${issue.message.en}`,
      },
    };
  });
}

/** The page's words, zh and en side by side (read with `text`). */
export const words = {
  nav: { zh: '辖区与单位', en: 'Jurisdiction' },
  title: { zh: '辖区名称与下辖单位', en: 'Jurisdiction names and units' },
  intro: {
    zh: '下辖单位（村、社区等）出现在群众举报表单和办公表单的选项中。每行填写一个单位；保存后，新打开的表单即使用新的列表。已登记的隐患和线索保留原来的单位名称。每次保存都记录版本。',
    en: 'The units under this jurisdiction (villages, communities…) are the choices of the public report form and the office forms. Write one unit per line; after a save, forms opened from then on offer the new list. Hazards and tips already recorded keep the unit they named. Every save records the version.',
  },
  jurisdiction: { zh: '辖区', en: 'Jurisdiction' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  version: { zh: '版本', en: 'Version' },
  code: { zh: '辖区代码', en: 'Code' },
  zhName: { zh: '中文名称', en: 'Name in Chinese' },
  enName: { zh: '英文名称', en: 'Name in English' },
  units: { zh: '下辖单位（每行一个）', en: 'Units (one per line)' },
  unitsHint: {
    zh: '最多 200 个，每个不超过 40 字，不能重复。',
    en: 'At most 200, each up to 40 characters, none twice.',
  },
  unitCount: { zh: '个单位', en: 'units' },
  save: { zh: '保存辖区信息', en: 'Save the jurisdiction' },
  saved: { zh: '已保存，当前为版本', en: 'Saved: now version' },
  conflict: {
    zh: '保存前已有他人修改了本辖区。已重新载入最新版本，请核对后再保存。',
    en: 'Someone changed this jurisdiction before you saved. The latest version is loaded: check it and save again.',
  },
  invalid: { zh: '未保存：请按提示修改标出的内容。', en: 'Not saved: fix what is marked.' },
  notFound: {
    zh: '找不到该辖区。',
    en: 'No such jurisdiction.',
  },
} satisfies Record<string, Bilingual>;
