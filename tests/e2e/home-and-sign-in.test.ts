import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  desktopViewport,
  launchChromium,
  openPage,
  phoneViewport,
} from '../support/browser.ts';
import { repositoryRoot, startTestCloud } from '../support/embedded-cloud.ts';

const webRoot = join(repositoryRoot, 'web/build');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

describe('a visitor on a phone', () => {
  it('reads the home page in Chinese, with no accessibility violation', async () => {
    const page = await openPage(browser, phoneViewport);
    await page.goto(`${cloud.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expect.poll(() => page.getByRole('link', { name: /举报/ }).count()).toBeGreaterThan(0);
    expect(await page.content()).toContain('12350');
    // Nothing wider than the phone's screen.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('can switch the home page to English', async () => {
    const page = await openPage(browser, phoneViewport);
    await page.goto(`${cloud.url}/`);
    await page.getByRole('link', { name: 'English' }).first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.getByRole('link', { name: /Report a hazard/i }).count()).toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('keeps the query and the fragment when it switches language (an id, a link token)', async () => {
    const page = await openPage(browser, phoneViewport);
    // Once the page has come to life (a link followed before then is a plain link).
    await page.goto(`${cloud.url}/enterprise/#a-link-token`, { waitUntil: 'networkidle' });
    await page.getByRole('link', { name: 'English' }).first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(page.url()).toBe(`${cloud.url}/en/enterprise/#a-link-token`);
    await page.goto(`${cloud.url}/en/follow-up/?from=mail#receipt`, { waitUntil: 'networkidle' });
    await page.getByRole('link', { name: '中文' }).first().click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(page.url()).toBe(`${cloud.url}/follow-up/?from=mail#receipt`);
    await page.context().close();
  });
});

describe('an officer at a desktop', () => {
  it('signs in as a demo officer and sees who they are', async () => {
    const page = await openPage(browser, desktopViewport);
    await page.goto(`${cloud.url}/office/sign-in`);
    const officer = page.getByRole('button', { name: /张伟/ }).first();
    await officer.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // Fifty demo users: narrowed to one jurisdiction's two reward officers, then all again.
    const everyone = await page.locator('ul.users button').count();
    expect(everyone).toBeGreaterThan(20);
    await page.getByLabel('辖区').selectOption({ label: '葛城街道' });
    await page.getByLabel('角色').selectOption({ label: '奖励专员' });
    await expect
      .poll(() => page.locator('ul.users button').allInnerTexts())
      .toEqual([
        expect.stringContaining('cq-gecheng.reward_officer'),
        expect.stringContaining('cq-gecheng.reward_officer_2'),
      ]);
    expect(await page.locator('[data-user-count]').innerText()).toBe(
      `显示 2 / ${everyone} 位演示用户`,
    );
    await page.getByLabel('辖区').selectOption({ label: '全部' });
    await page.getByLabel('角色').selectOption({ label: '全部' });
    await expect.poll(() => page.locator('ul.users button').count()).toBe(everyone);
    await officer.click();
    await page.waitForURL(/\/office\/?$/);
    await expect.poll(() => page.getByText('葛城街道').count()).toBeGreaterThan(0);
    expect(await page.getByText('张伟').count()).toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  // Where the text of the header's brand, the console's first link, the page's heading and
  // the footer starts, and how far the page scrolls sideways.
  const edges = (page: Page) =>
    page.evaluate(() => {
      const textLeft = (selector: string) => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(selector) as Element);
        return Math.round(range.getBoundingClientRect().left);
      };
      return {
        lines: ['.brand', '.office-bar nav a', 'main h1', '.site-footer p'].map(textLeft),
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });

  it.each([
    { language: 'zh', prefix: '', width: 360 },
    { language: 'zh', prefix: '', width: 768 },
    { language: 'en', prefix: '/en', width: 1280 },
  ])(
    'sees the header, the console and its pages line up ($language, $width px)',
    async ({ prefix, width }) => {
      const page = await openPage(browser, { width, height: 800 });
      await page.goto(`${cloud.url}${prefix}/office/sign-in`);
      await page
        .getByRole('button', { name: /cq-gecheng\.officer/ })
        .first()
        .click();
      await page.waitForURL(/\/office\/?$/);
      await page.locator('.office-bar nav a').first().waitFor();
      const { lines, overflow } = await edges(page);
      expect(lines).toEqual(lines.map(() => lines[0]));
      expect(overflow).toBe(0);
      await page.context().close();
    },
  );

  it('keeps the console’s sections to one row on a phone, the current one in view', async () => {
    const page = await openPage(browser, { width: 360, height: 740 });
    await page.goto(`${cloud.url}/en/office/sign-in`);
    await page
      .getByRole('button', { name: /cq-gecheng\.officer/ })
      .first()
      .click();
    await page.waitForURL(/\/office\/?$/);
    await page.locator('.office-bar nav a').first().waitFor();
    // Wrapped, six English sections and the person took 197 px above every page.
    const bar = await page.locator('.office-bar').boundingBox();
    expect(bar?.height).toBeLessThanOrEqual(110);
    // The row says it goes on: an arrow at the cut-off side only, which scrolls it.
    const row = page.locator('.office-bar nav');
    await page.locator('[data-nav-more="after"]').waitFor();
    expect(await page.locator('[data-nav-more="before"]').count()).toBe(0);
    if (process.env.SCREENSHOT_DIR) {
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'office-nav-phone.png') });
    }
    await page.locator('[data-nav-more="after"]').click();
    await expect.poll(() => row.evaluate((nav) => nav.scrollLeft)).toBeGreaterThan(100);
    await page.locator('[data-nav-more="before"]').waitFor();
    await page.locator('[data-nav-more="before"]').click();
    await expect.poll(() => row.evaluate((nav) => nav.scrollLeft)).toBe(0);
    await page
      .getByRole('navigation', { name: 'Console navigation' })
      .getByRole('link', { name: 'Statistics' })
      .click();
    await page.waitForURL(/\/office\/statistics/);
    const nav = await page.locator('.office-bar nav').boundingBox();
    const current = await page.locator('.office-bar nav a[aria-current="page"]').boundingBox();
    expect(current && nav).toBeTruthy();
    if (current && nav) {
      // Within the row's box (to the pixel: boxes are measured in fractions).
      expect(current.x).toBeGreaterThanOrEqual(nav.x - 1);
      expect(current.x + current.width).toBeLessThanOrEqual(nav.x + nav.width + 1);
    }
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
