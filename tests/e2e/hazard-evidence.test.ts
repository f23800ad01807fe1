import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  desktopViewport,
  launchChromium,
  openPage,
  phoneViewport,
} from '../support/browser.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';
import { signInTab } from '../support/office-console.ts';
import { postJson } from '../support/tips.ts';

// Issue 14, "Evidence on every step", in Chromium: an officer on a 360 px phone records a
// hazard at a shop without a credit code with two real photos and opens them in the viewer
// with the keyboard (zh); an enterprise sends its fix photo through its link and the
// officer verifies with a photo at a desk (en). axe-core clean throughout.

const webRoot = join(repositoryRoot, 'web/build');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
let photoDirectory: string;
let photos: string[];
const marker = `E${Date.now().toString(36)}`;

/** A phone photo with a GPS position in its EXIF (the server strips it). */
async function phonePhoto(path: string, background: string) {
  const bytes = await sharp({ create: { width: 1600, height: 1200, channels: 3, background } })
    .jpeg({ quality: 80 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Officer-E2E' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '29/1 33/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 33/1 0/1',
      },
    })
    .toBuffer();
  await writeFile(path, bytes);
}

beforeAll(async () => {
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error('web/build is missing: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
  photoDirectory = await mkdtemp(join(tmpdir(), 'qingling-evidence-'));
  photos = ['exit.jpg', 'corridor.jpg', 'fixed.jpg', 'checked.jpg'].map((name) =>
    join(photoDirectory, name),
  );
  await Promise.all(
    photos.map((path, index) =>
      phonePhoto(path, ['#c33', '#36c', '#3a6', '#999'][index] ?? '#000'),
    ),
  );
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
  if (photoDirectory) await rm(photoDirectory, { recursive: true, force: true });
});

const axeClean = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);
const noHorizontalScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
    true,
  );

async function officerPage(viewport: { width: number; height: number }): Promise<Page> {
  const page = await openPage(browser, viewport);
  await signInTab(page, cloud.url, 'cq-gecheng.officer');
  return page;
}

describe('an officer on a 360 px phone, in Chinese', () => {
  it('records a hazard at a shop with two photos and looks at them with the keyboard', async () => {
    const page = await officerPage(phoneViewport);
    const shop = `${marker}小吃店`;
    await page.goto(`${cloud.url}/office/hazards`);
    await page.getByRole('button', { name: '登记隐患' }).click();
    await page.getByLabel('检查发现').check();
    await page.getByLabel('行业领域').selectOption('fire');
    await page.getByLabel('一般隐患').check();
    await page.getByLabel('无信用代码的场所').check();
    await page.getByLabel('场所名称').fill(shop);
    await page.getByLabel('场所类型').selectOption('shop');
    await page.getByLabel('场所地址').fill('格城区北街 3 号');
    await page.getByLabel('场所负责人').fill('李某');
    await page.getByLabel('负责人电话').fill('023-6123 4567');
    await page.getByLabel('位置', { exact: true }).fill('后厨');
    await page.getByLabel('隐患描述').fill('后厨液化气瓶与明火距离不足。');
    await page.locator('#record-hazard-photos').setInputFiles(photos.slice(0, 2));
    await page.getByText('照片 2').first().waitFor();
    await noHorizontalScroll(page);
    await axeClean(page);
    await page.getByRole('button', { name: '登记', exact: true }).click();

    await page.waitForURL(/\/office\/hazards\/view\?id=[a-z2-7]{26}$/);
    const thumbnails = page.getByRole('button', { name: /第 \d 张，共 2 张/ });
    await thumbnails.nth(1).waitFor();
    expect(await thumbnails.count()).toBe(2);
    await page.getByText(/照片 1 的 SHA-256/).waitFor();
    // The list loads thumbnails (192 px squares), not the 1600 px photos (lazily: in view).
    await thumbnails.first().scrollIntoViewIfNeeded();
    await expect
      .poll(() =>
        thumbnails
          .first()
          .locator('img')
          .evaluate((image) => (image as HTMLImageElement).naturalWidth),
      )
      .toBe(192);
    await noHorizontalScroll(page);
    await axeClean(page);

    // The keyboard: open, step on, close; focus comes back to the thumbnail.
    await thumbnails.first().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByText('第 1 张，共 2 张', { exact: true }).waitFor();
    await axeClean(page);
    await page.keyboard.press('ArrowRight');
    await dialog.getByText('第 2 张，共 2 张', { exact: true }).waitFor();
    const shown = dialog.getByRole('img');
    expect(await shown.getAttribute('alt')).toMatch(/第 2 张，共 2 张/);
    // The caption changes at once; the photo is there once it has loaded.
    await expect
      .poll(() => shown.evaluate((image) => (image as HTMLImageElement).naturalWidth))
      .toBe(1600);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await thumbnails.first().evaluate((button) => button === document.activeElement)).toBe(
      true,
    );
    await page.context().close();
  });
});

describe('an enterprise and an officer, in English', () => {
  it('the enterprise sends its fix photo through its link; the officer verifies with a photo', async () => {
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const recorded = await recordHazard(cloud.url, token, `${marker} warehouse`, 'general');
    expect(recorded.status).toBe(201);
    const hazard = { id: recorded.body.hazard.hazardId as string, revision: 0 };
    hazard.revision = recorded.body.revision;
    const started = await giveHazardCommand(cloud.url, token, hazard, {
      type: 'start_rectification',
      responsible: 'Wang',
      measures: 'Clear the exit',
      deadline: { workingDays: 10 },
    });
    expect(started.status).toBe(200);
    const link = await postJson(
      `${cloud.url}/api/office/hazards/${hazard.id}/enterprise-link`,
      { validDays: 30 },
      { authorization: `Bearer ${token}` },
    );

    const phone = await openPage(browser, phoneViewport);
    await phone.goto(`${cloud.url}/en/enterprise/#${link.body.token}`);
    await phone.getByLabel('Fix done', { exact: true }).check();
    await phone
      .getByLabel('How the hazard was fixed')
      .fill('The goods are gone; the exit is clear.');
    await phone.locator('#update-photos').setInputFiles(photos[2] as string);
    await axeClean(phone);
    await phone.getByRole('button', { name: 'Send', exact: true }).click();
    await phone.getByText('The fix is reported done; the office will verify it.').waitFor();
    await phone.getByRole('button', { name: /photo 1 of 1/ }).waitFor();
    await noHorizontalScroll(phone);
    await axeClean(phone);
    await phone.context().close();

    const page = await officerPage(desktopViewport);
    await page.goto(`${cloud.url}/en/office/hazards/view?id=${hazard.id}`);
    await page.getByLabel('The fix is done: passed').check();
    await page.getByLabel('Note', { exact: true }).fill('Checked on site: the exit is clear.');
    await page.locator('#verify-photos').setInputFiles(photos[3] as string);
    await page.getByText('Photo 1').first().waitFor();
    await axeClean(page);
    await page.getByRole('button', { name: 'Record the verification' }).click();
    await page
      .getByText('Verification passed is recorded: the hazard can be closed.')
      .first()
      .waitFor();
    // The enterprise's photo and the officer's, each on its step.
    await page
      .getByRole('button', { name: /photo 1 of 1/ })
      .nth(1)
      .waitFor();
    await axeClean(page);

    const log = await fetch(`${cloud.url}/api/office/hazards/${hazard.id}/log`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json());
    expect(log.photos.map((photo: { type: string }) => photo.type)).toEqual([
      'evidence_submitted',
      'verification_passed',
    ]);
    for (const photo of log.photos) {
      const stored = await cloud.blobStore.get(photo.key);
      expect((await sharp(stored?.bytes).metadata()).exif).toBeUndefined();
    }
    await page.context().close();
  });
});
