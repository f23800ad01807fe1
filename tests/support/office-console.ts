import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { sessionKey } from '../../web/src/lib/auth/session.ts';
import { launchChromium, openPage, phoneViewport } from './browser.ts';
import { demoToken, repositoryRoot, startTestCloud } from './embedded-cloud.ts';

const webRoot = join(repositoryRoot, 'web/build');

export interface ConsoleTestbed {
  cloud: Awaited<ReturnType<typeof startTestCloud>>;
  browser: Browser;
}

/**
 * For an e2e file about the office console: the embedded cloud serving the built site, on
 * the file's clock, and a browser; both started before its tests and removed after them.
 * The fields are filled in by `beforeAll`: read them inside tests.
 */
export function consoleTestbed(clock: Clock): ConsoleTestbed {
  const bed = {} as ConsoleTestbed;
  beforeAll(async () => {
    if (!existsSync(join(webRoot, '200.html'))) {
      throw new Error('web/build is missing the office console: run npm run build:web first');
    }
    bed.cloud = await startTestCloud({ webRoot, clock });
    bed.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await bed.browser?.close();
    await bed.cloud?.stop();
    await bed.cloud?.removeData();
  });
  return bed;
}

/** A console page signed in as a demo user (at the desk), in zh-CN or under `/en`. */
export async function signedInPage(
  bed: ConsoleTestbed,
  username: string,
  options: { viewport?: { width: number; height: number }; language?: '' | '/en' } = {},
): Promise<Page> {
  const page = await openPage(bed.browser, options.viewport ?? phoneViewport);
  await signInTab(page, bed.cloud.url, username, `${options.language ?? ''}/office`);
  return page;
}

let tabSignIns = 0;

/**
 * Signs the tab in as a demo user the way the sign-in page does (the token /auth/token
 * gives, kept in the tab's sessionStorage), without opening that page, then opens `path`
 * (the desk by default). The sign-in page itself is tested in home-and-sign-in.test.ts;
 * elsewhere its page load and round trips cost about a second a sign-in, a hundred times
 * in the e2e files. The session is put in once per call: a later sign-out in the tab is
 * not undone by its next page load, and a second sign-in in the same tab replaces it.
 */
export async function signInTab(
  page: Page,
  url: string,
  username: string,
  path = '/office',
): Promise<void> {
  const token = await demoToken(url, username);
  tabSignIns += 1;
  await page.addInitScript(
    ({ key, marker, idToken, expiresInSeconds }) => {
      if (sessionStorage.getItem(marker)) return;
      sessionStorage.setItem(marker, '1');
      const expiresAt = Date.now() + expiresInSeconds * 1000;
      sessionStorage.setItem(key, JSON.stringify({ idToken, expiresAt }));
    },
    {
      key: sessionKey,
      marker: `qingling:e2e-sign-in:${tabSignIns}`,
      idToken: token.id_token,
      expiresInSeconds: token.expires_in,
    },
  );
  await page.goto(`${url}${path}`);
}
