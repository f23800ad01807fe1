import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { desktopViewport } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn } from '../support/embedded-cloud.ts';
import { consoleTestbed, signedInPage } from '../support/office-console.ts';
import { postJson } from '../support/tips.ts';

// The hazard's timeline names every fact of 登记隐患 in words: its village or community and a
// place without a credit code were shown as `unit` and `site`, the place as raw JSON.
const bed = consoleTestbed(new ManualClock(new Date('2026-06-01T02:00:00Z')));

describe("a place's hazard on its timeline", () => {
  it('shows the village and the place in words, in Chinese and English', async () => {
    const token = await signIn(bed.cloud.url, 'cq-gecheng.officer');
    const reply = await postJson(
      `${bed.cloud.url}/api/office/hazards`,
      {
        idempotencyKey: randomUUID(),
        jurisdiction: 'cq-gecheng',
        source: 'inspection',
        industry: 'fire',
        unit: '东门社区',
        place: '仓库后门',
        grade: 'general',
        description: '后门被纸箱堵住，无法疏散。',
        site: {
          name: '新城化工仓库',
          address: '东门路 8 号',
          kind: 'small_workshop',
          personInCharge: '王某',
          phone: '13900139000',
        },
      },
      { authorization: `Bearer ${token}` },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const { hazardId } = reply.body.hazard;

    for (const [language, labels, site] of [
      ['', ['村/社区', '无信用代码场所'], '新城化工仓库（小作坊）'],
      [
        '/en',
        ['Village or community', 'Place without a credit code'],
        '新城化工仓库 (Small workshop)',
      ],
    ] as const) {
      const page = await signedInPage(bed, 'cq-gecheng.officer', {
        language,
        viewport: desktopViewport,
      });
      await page.goto(`${bed.cloud.url}${language}/office/hazards/view?id=${hazardId}`);
      const reported = page.locator('.timeline-event[data-type="hazard_reported"]');
      await reported.waitFor();
      const terms = await reported.locator('dt').allTextContents();
      expect(terms).toEqual(expect.arrayContaining([...labels]));
      expect(terms).not.toEqual(expect.arrayContaining(['unit']));
      expect(terms).not.toEqual(expect.arrayContaining(['site']));
      for (const value of await reported.locator('dd').allTextContents()) {
        expect(value).not.toMatch(/[{}"]/);
      }
      expect(await reported.locator('dd').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining(site), '东门社区']),
      );
      await reported.screenshot({ path: `/tmp/wf16/timeline${language.replace('/', '-')}.png` });
      await page.close();
    }
  });
});
