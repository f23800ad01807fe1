import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityViolations, desktopViewport, openPage } from './browser.ts';

/** The e2e reward tests' pages: the console signed in by token, the follow-up page by receipt. */
export type Language = 'zh' | 'en';
type Viewport = { width: number; height: number };

export const axeClean = async (page: Page) =>
  expect(await accessibilityViolations(page)).toEqual([]);

/** A console page opened signed in with `idToken` (the session as the sign-in page keeps it). */
export async function officePage(
  browser: Browser,
  origin: string,
  idToken: string,
  path: string,
  options: { language?: Language; viewport?: Viewport } = {},
): Promise<Page> {
  const page = await openPage(browser, options.viewport ?? desktopViewport);
  await page.context().addInitScript((token) => {
    sessionStorage.setItem(
      'qingling:session',
      JSON.stringify({ idToken: token, expiresAt: Date.now() + 3_600_000 }),
    );
  }, idToken);
  await page.goto(`${origin}${options.language === 'en' ? '/en' : ''}${path}`);
  return page;
}

/** The follow-up page with the tip of `receipt` looked up, once the page can act. */
export async function followUp(
  browser: Browser,
  origin: string,
  receipt: string,
  language: Language,
  viewport: Viewport = desktopViewport,
): Promise<Page> {
  const page = await openPage(browser, viewport);
  const words =
    language === 'zh'
      ? { path: '/follow-up/', button: '查询', label: '回执码' }
      : { path: '/en/follow-up/', button: 'Look up', label: 'Receipt' };
  await page.goto(`${origin}${words.path}`);
  const lookUp = page.getByRole('button', { name: words.button, exact: true });
  await expect.poll(() => lookUp.isEnabled()).toBe(true); // hydrated
  await page.getByLabel(words.label).fill(receipt);
  await lookUp.click();
  await page.locator('#tip-heading').waitFor();
  return page;
}
