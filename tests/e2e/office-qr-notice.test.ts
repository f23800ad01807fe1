import jsqr from 'jsqr';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, desktopViewport, phoneViewport } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';
import { consoleTestbed, signedInPage } from '../support/office-console.ts';

// Issue 14: the enterprise link as a printable QR notice to hand over on site. An officer
// creates the link on a hazard in rectification and opens its notice: the enterprise, the
// hazard, the deadline, the QR code (read back here with jsQR from a screenshot) and the
// link as text; on paper, the notice alone. zh on a 360 px phone, en at a desk; axe clean.

const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
const bed = consoleTestbed(clock);
const place = `Q${Date.now().toString(36)}号仓库`;
let hazardId: string;

beforeAll(async () => {
  const token = await signIn(bed.cloud.url, 'cq-gecheng.officer');
  const recorded = await recordHazard(bed.cloud.url, token, place, 'general');
  expect(recorded.status).toBe(201);
  hazardId = recorded.body.hazard.hazardId as string;
  const started = await giveHazardCommand(
    bed.cloud.url,
    token,
    { id: hazardId, revision: recorded.body.revision },
    {
      type: 'start_rectification',
      responsible: '王某',
      measures: '搬离货物，更换灭火器',
      deadline: { date: '2026-12-18' },
    },
  );
  expect(started.status, JSON.stringify(started.body)).toBe(200);
});

// jsqr is CommonJS whose module.exports is the function; its types say it is the default.
const jsQR = jsqr as unknown as typeof jsqr.default;

/** The QR code as drawn on the page, read back from a screenshot of it. */
async function decodedCode(page: Page): Promise<string | undefined> {
  const png = await page.locator('svg.code').screenshot();
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data;
}

const cases = [
  {
    language: '' as const,
    viewport: phoneViewport,
    linkLabel: '中文链接',
    notice: '打印二维码告知书',
    title: '隐患整改告知书',
    deadline: '截至 2026年12月18日 24:00',
  },
  {
    language: '/en' as const,
    viewport: desktopViewport,
    linkLabel: 'Link (English)',
    notice: 'Print QR notice',
    title: 'Notice to rectify a hazard',
    deadline: 'by 24:00 on Dec 18, 2026',
  },
];

describe('the printable QR notice of an enterprise link', () => {
  for (const { language, viewport, linkLabel, notice, title, deadline } of cases) {
    it(`holds the hazard, its deadline and the link as code and text (${language || 'zh'}, ${viewport.width} px)`, async () => {
      const page = await signedInPage(bed, 'cq-gecheng.officer', { viewport, language });
      await page.goto(`${bed.cloud.url}${language}/office/hazards/view?id=${hazardId}`);
      await page.getByRole('button', { name: /生成链接|Create a link/ }).click();
      const link = await page.getByLabel(linkLabel).inputValue();
      expect(link).toMatch(new RegExp(`^${bed.cloud.url}${language}/enterprise/#[\\w.-]+$`));
      const token = link.split('#')[1] as string;

      await page.getByRole('link', { name: notice }).click();
      await page.getByRole('heading', { name: title }).waitFor();
      // The token is in the page only: not in its address (so in no referrer or history).
      expect(page.url()).toBe(
        `${bed.cloud.url}${language}/office/hazards/qr-notice?id=${hazardId}`,
      );
      expect(page.url()).not.toContain(token);
      const article = page.locator('article.document');
      expect(await article.textContent()).toContain(place);
      expect(await article.textContent()).toContain('安全出口被货物堵塞');
      expect(await article.textContent()).toContain(deadline);
      expect(await article.locator('.url').textContent()).toBe(link);
      expect(await decodedCode(page)).toBe(link);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      ).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);

      // On paper: the notice alone, without the console's navigation or the page's tools.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.office-bar').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: /打印|Print/ }).isVisible()).toBe(false);
      expect(await article.isVisible()).toBe(true);
      expect(await page.locator('svg.code').isVisible()).toBe(true);
      await page.context().close();
    });
  }

  it('opened afresh, without a link just created, asks for one and shows none', async () => {
    const page = await signedInPage(bed, 'cq-gecheng.officer');
    await page.goto(`${bed.cloud.url}/office/hazards/qr-notice?id=${hazardId}`);
    await page.getByText('还没有企业提交链接。').waitFor();
    expect(await page.locator('svg.code').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
