import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, openPage, phoneViewport } from './browser.ts';
import { repositoryRoot, startTestCloud } from './embedded-cloud.ts';

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
  await page.goto(`${bed.cloud.url}${options.language ?? ''}/office/sign-in`);
  await page.getByRole('button', { name: new RegExp(username.replaceAll('.', '\\.')) }).click();
  await page.waitForURL(/\/office$/);
  return page;
}
