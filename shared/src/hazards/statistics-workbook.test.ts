import { describe, expect, it } from 'vitest';
import {
  expectedNumbers,
  readStatisticsWorkbook,
  workbookNumbers,
} from '../../../tests/support/statistics-xlsx.ts';
import type { HazardStatistics } from './statistics-figures.ts';
import { statisticsRoute } from './statistics-routes.ts';
import { statisticsSheets, statisticsWorkbook } from './statistics-workbook.ts';

const example = statisticsRoute.response.example as unknown as HazardStatistics;
const madeAt = new Date('2026-12-03T16:30:00Z');

describe('the statistics workbook', () => {
  it('holds every number of the answer, a sheet for each of the page’s tables', async () => {
    const statistics: HazardStatistics = {
      ...example,
      regions: [
        ...example.regions,
        {
          ...example.totals,
          found: 0,
          closed: 0,
          jurisdiction: 'cq-a',
          zh: '甲',
          en: 'A',
          depth: 1,
        },
      ],
    };
    const read = await readStatisticsWorkbook(
      await statisticsWorkbook(statistics, {
        jurisdictionName: { zh: '葛城街道', en: 'Gecheng' },
        madeAt,
      }),
    );
    expect(read.sheetNames).toEqual(Object.values(statisticsSheets));
    expect(workbookNumbers(read)).toEqual(expectedNumbers(statistics));
  });

  it('titles each sheet with the jurisdiction, the period and when it was made (CST)', async () => {
    const read = await readStatisticsWorkbook(
      await statisticsWorkbook(example, {
        jurisdictionName: { zh: '葛城街道', en: 'Gecheng' },
        madeAt,
      }),
    );
    const regions = read.headings.get(statisticsSheets.regions);
    expect(regions?.title).toContain('葛城街道 统计分析 · 分区域');
    expect(regions?.banner).toContain('葛城街道 Gecheng（cq-gecheng）');
    expect(regions?.banner).toContain('2026-01 至 2026-12');
    expect(regions?.banner).toContain('存量截止 Backlog cut-off：2024-01-01');
    expect(regions?.banner).toContain('2026-12-04 00:30（北京时间 CST）');
    expect(regions?.header.slice(0, 3)).toEqual([
      '辖区\nJurisdiction',
      '代码\nCode',
      '发现\nFound',
    ]);
    expect(read.headings.get(statisticsSheets.rewards)?.header[3]).toBe(
      '已批准 金额（元）\nOffered: yuan',
    );
  });

  it('never writes a name as a formula', async () => {
    const statistics: HazardStatistics = {
      ...example,
      regions: [
        {
          ...example.totals,
          jurisdiction: 'cq-gecheng',
          depth: 0,
          zh: '=HYPERLINK("http://x")',
          en: '+1',
        },
      ],
    };
    const read = await readStatisticsWorkbook(await statisticsWorkbook(statistics, { madeAt }));
    const first = read.numbers.get(statisticsSheets.regions)?.[0]?.[0];
    expect(first).toBe(`'=HYPERLINK("http://x")\n+1`);
  });
});
