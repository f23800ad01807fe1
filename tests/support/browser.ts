import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (installed by scripts/ensure-chromium.sh), driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * WCAG 2.1 A and AA violations axe-core finds on the page, as short readable lines.
 * Legacy mode runs axe in the page itself; the default opens a blank page beside it to
 * merge the frames' results, for cross-origin frames, which these pages do not have. Same
 * rules, same results (checked on the desks: 0 violations, 23-24 passes either way), in
 * half the time (0.4-0.6 s against 0.9-1.5 s a page; the e2e files call it 77 times).
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode(true)
    .analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
}

export const phoneViewport = { width: 360, height: 740 };
export const desktopViewport = { width: 1280, height: 800 };

/** A page in a fresh context (axe-core needs one), closed with `page.context().close()`. */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number } = phoneViewport,
): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  return context.newPage();
}

/**
 * The narrowest value of a label/value list (a `dl`) on the page, as a share of its list's
 * width: on a phone a long label once squeezed its value to one character a line.
 */
export function narrowestFactValue(page: Page): Promise<number> {
  return page.evaluate(() => {
    let narrowest = 1;
    for (const value of document.querySelectorAll('dl > dd')) {
      const list = value.closest('dl');
      if (!list || getComputedStyle(list).display !== 'grid') continue;
      const share = value.getBoundingClientRect().width / list.getBoundingClientRect().width;
      if (share < narrowest) narrowest = share;
    }
    return narrowest;
  });
}

/** The API calls of a page: how many are in flight, done, and any refused (401/403). */
export function watchApi(page: Page) {
  const calls = { inFlight: 0, done: 0, refused: [] as string[] };
  const isApi = (url: string) => new URL(url).pathname.startsWith('/api/');
  page.on('request', (request) => {
    if (isApi(request.url())) calls.inFlight += 1;
  });
  const finished = (request: { url(): string }) => {
    if (!isApi(request.url())) return;
    calls.inFlight -= 1;
    calls.done += 1;
  };
  page.on('requestfinished', finished);
  page.on('requestfailed', finished);
  page.on('response', (response) => {
    if (isApi(response.url()) && [401, 403].includes(response.status())) {
      calls.refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
    }
  });
  return calls;
}
