import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { desktopViewport, openPage, phoneViewport } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { consoleTestbed, signedInPage } from '../support/office-console.ts';

// A select is as wide as its longest option unless told otherwise: the ledger's 监管部门 names
// and the jurisdictions' full names made pages scroll sideways on a phone and filters overlap
// on a desktop. No page may be wider than the screen, no filter may lie over another.
const bed = consoleTestbed(new ManualClock(new Date('2026-06-01T02:00:00Z')));

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** Pairs of the ledger's filter controls whose boxes overlap. */
async function overlappingFilters(page: Page): Promise<string[]> {
  const boxes = await page
    .locator('form.ledger-filters')
    .locator('select, input')
    .evaluateAll((controls) =>
      controls.map((control) => {
        const box = control.getBoundingClientRect();
        return {
          id: control.id,
          left: box.left,
          right: box.right,
          top: box.top,
          bottom: box.bottom,
        };
      }),
    );
  const overlaps: string[] = [];
  for (const [index, a] of boxes.entries()) {
    for (const b of boxes.slice(index + 1)) {
      const apart =
        a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      if (!apart) overlaps.push(`${a.id} × ${b.id}`);
    }
  }
  return overlaps;
}

describe('controls fit the screen', () => {
  for (const language of ['', '/en'] as const) {
    it(`public pages at 360 px (${language || 'zh'})`, async () => {
      const page = await openPage(bed.browser, phoneViewport);
      for (const path of ['/exposure/', '/office/sign-in']) {
        await page.goto(`${bed.cloud.url}${language}${path}`);
        await page.locator('select').first().waitFor();
        expect(await pageWidth(page), path).toBeLessThanOrEqual(phoneViewport.width);
      }
      await page.close();
    });

    it(`the hazard ledger's filters at 360 and 1280 px (${language || 'zh'})`, async () => {
      const phone = await signedInPage(bed, 'cq-gecheng.officer', { language });
      await phone.goto(`${bed.cloud.url}${language}/office/hazards`);
      await phone.locator('#filter-unit').waitFor();
      expect(await pageWidth(phone)).toBeLessThanOrEqual(phoneViewport.width);
      const select = await phone.locator('#filter-unit').boundingBox();
      expect(select?.width).toBeLessThanOrEqual(phoneViewport.width);
      await phone.screenshot({
        path: `/tmp/wf16/ledger-phone${language.replace('/', '-')}.png`,
        fullPage: true,
      });
      await phone.close();

      const desk = await signedInPage(bed, 'cq-gecheng.officer', {
        language,
        viewport: desktopViewport,
      });
      await desk.goto(`${bed.cloud.url}${language}/office/hazards`);
      await desk.locator('#filter-unit').waitFor();
      expect(await pageWidth(desk)).toBeLessThanOrEqual(desktopViewport.width);
      expect(await overlappingFilters(desk)).toEqual([]);
      await desk
        .locator('form.ledger-filters')
        .screenshot({ path: `/tmp/wf16/ledger-desk${language.replace('/', '-')}.png` });
      await desk.close();
    });
  }
});
