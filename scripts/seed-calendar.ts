// Regenerates shared/src/data/holiday-calendar.json from the chinese-days package: the
// official holidays and make-up working days (调休) per year. The product reads the JSON
// (policy data an administrator can edit), never the package.
import { readFileSync, writeFileSync } from 'node:fs';

const source = JSON.parse(
  readFileSync('node_modules/chinese-days/dist/chinese-days.json', 'utf8'),
) as { holidays: Record<string, string>; workdays: Record<string, string> };
const years: Record<string, { holidays: string[]; workdays: string[] }> = {};
for (const year of [2024, 2025, 2026]) {
  const inYear = (dates: Record<string, string>) =>
    Object.keys(dates)
      .filter((date) => date.startsWith(`${year}-`))
      .sort();
  years[year] = { holidays: inYear(source.holidays), workdays: inYear(source.workdays) };
}
writeFileSync(
  'shared/src/data/holiday-calendar.json',
  `${JSON.stringify({ source: 'chinese-days 1.5.7', years }, null, 1)}\n`,
);
