import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReceipt, isValidReceipt, receiptFromDigits } from '@qingling/shared/tips/receipt.ts';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsGoalBytes, measureWeight, phoneContext, reportPaths } from '../../bench/page-weight.ts';
import {
  accessibilityViolations,
  launchChromium,
  openPage,
  phoneViewport,
} from '../support/browser.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, validTip } from '../support/tips.ts';

const webRoot = join(repositoryRoot, 'web/build');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
let photoDirectory: string;
let photos: string[];
let officerToken: string;

/** A phone photo: large, with the maker, the model and a GPS position in its EXIF. */
async function phonePhoto(path: string, background: string) {
  const bytes = await sharp({ create: { width: 3000, height: 2000, channels: 3, background } })
    .jpeg({ quality: 80 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Tipster-E2E', Artist: '张三' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '31/1 57/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '108/1 39/1 36/1',
      },
    })
    .toBuffer();
  const metadata = await sharp(bytes).metadata();
  if (!metadata.exif) throw new Error('the test photo should carry EXIF');
  await writeFile(path, bytes);
}

beforeAll(async () => {
  if (!existsSync(join(webRoot, 'report/index.html'))) {
    throw new Error('web/build is missing the report page: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
  officerToken = await signIn(cloud.url, 'cq-gecheng.officer');
  photoDirectory = await mkdtemp(join(tmpdir(), 'qingling-photos-'));
  photos = [join(photoDirectory, 'exit.jpg'), join(photoDirectory, 'corridor.jpg')];
  await phonePhoto(photos[0] as string, '#c33');
  await phonePhoto(photos[1] as string, '#36c');
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
  if (photoDirectory) await rm(photoDirectory, { recursive: true, force: true });
});

const office = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(`${cloud.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${officerToken}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

interface TipSummary {
  tipId: string;
  excerpt: string;
}
interface TipForOfficer {
  photoKeys: string[];
  messages: { from: string; text: string }[];
}

/** The tip in the officer's inbox whose text starts with `marker`. */
async function findTip(marker: string): Promise<TipSummary> {
  const { tips } = await office<{ tips: TipSummary[] }>('/api/office/tips?jurisdiction=cq-gecheng');
  const tip = tips.find((candidate) => candidate.excerpt.includes(marker));
  if (!tip) throw new Error(`no tip with ${marker} in the inbox`);
  return tip;
}

const noOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function fillReport(page: Page, marker: string) {
  const submit = page.getByRole('button', { name: '提交举报' });
  await expect.poll(() => submit.isEnabled()).toBe(true); // hydrated
  await page.getByLabel('所在街道、乡镇或园区').selectOption('cq-gecheng');
  await page.getByLabel('村或社区').selectOption('东门社区');
  await page.getByLabel('行业领域').selectOption('fire');
  await page.getByLabel('单位或场所名称').fill('某某商贸有限公司');
  await page.getByLabel('详细地址').fill('东门路 18 号仓库');
  await page
    .getByLabel('发现了什么问题')
    .fill(`${marker} 仓库安全出口被货物堵住，消防通道上停满电动车。`);
}

/** Everything the page keeps: storage, the address bar, the console. */
async function traces(page: Page, consoleLines: string[]): Promise<string> {
  const storage = await page.evaluate(() =>
    JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }),
  );
  return [page.url(), storage, ...consoleLines].join('\n');
}

describe('a tipster on a phone', () => {
  it('reports a hazard with two photos, saves the receipt and follows the tip up', async () => {
    const page = await openPage(browser, phoneViewport);
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    const marker = `E2E-${Date.now()}`;

    await page.goto(`${cloud.url}/report/`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await fillReport(page, marker);
    await page.locator('#tip-photos').setInputFiles(photos);
    await expect
      .poll(() => page.locator('li[data-status="ready"]').count(), { timeout: 30_000 })
      .toBe(2);
    expect(await noOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: '提交举报' }).click();

    // The receipt, once, with focus on its heading.
    const shown = page.locator('[data-receipt]');
    await shown.waitFor({ timeout: 30_000 });
    const formatted = (await shown.textContent())?.trim() ?? '';
    expect(formatted).toMatch(/^\d{6} \d{6} \d{6}$/);
    const receipt = formatted.replace(/\s/g, '');
    expect(isValidReceipt(receipt)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-heading');

    // The photos follow the text, each with its progress bar.
    // … and the page learns from the tip that both arrived (on AWS, a moment later).
    await expect
      .poll(() => page.locator('li[data-status="arrived"]').count(), { timeout: 60_000 })
      .toBe(2);
    const bars = await page
      .locator('progress')
      .evaluateAll((elements) => elements.map((element) => (element as HTMLProgressElement).value));
    expect(bars).toEqual([1, 1]);

    await page.getByRole('button', { name: '保存为图片' }).click();
    await page.getByText('长按图片保存').waitFor();
    expect(await page.locator('img[src^="data:image/png"]').count()).toBe(1);
    expect(await noOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The page cannot be left before the tipster says the receipt is saved.
    const done = page.getByRole('button', { name: '完成' });
    expect(await done.isDisabled()).toBe(true);
    await page.getByLabel('我已保存回执码').check();
    await done.click();
    await page.getByRole('heading', { name: '谢谢您的举报' }).waitFor();
    expect(await traces(page, consoleLines)).not.toContain(receipt);
    expect(await page.content()).not.toContain(formatted);

    // Follow-up: typed with full-width digits and spaces, as an input method may give it.
    await page.getByRole('link', { name: '查询进度' }).click();
    await page.waitForURL(/\/follow-up\/$/);
    const lookUp = page.getByRole('button', { name: '查询', exact: true });
    await expect.poll(() => lookUp.isEnabled()).toBe(true); // hydrated
    const fullWidth = formatted.replace(/\d/g, (digit) =>
      String.fromCharCode(0xff10 + Number(digit)),
    );
    await page.getByLabel('回执码').fill(fullWidth);
    await lookUp.click();
    await page.getByRole('heading', { name: '举报进度', exact: true }).waitFor();
    expect(await page.getByText(marker).count()).toBe(1);
    expect(await page.locator('.status-name').textContent()).toBe('已收到');
    expect(await noOverflow(page)).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // An officer asks a question through the API …
    const tip = await findTip(marker);
    const question = '请问堵住的是哪一个出口？';
    await office(`/api/office/tips/${tip.tipId}/questions`, {
      method: 'POST',
      body: JSON.stringify({ idempotencyKey: crypto.randomUUID(), text: question }),
    });

    // … the tipster sees it, answers, and sees the answer.
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByText(question, { exact: true }).waitFor();
    expect(await page.getByText('待回答', { exact: true }).count()).toBe(1);
    const answer = '北门，晚上八点以后堵得最严重。';
    await page.getByLabel('您的回答').fill(answer);
    await page.getByRole('button', { name: '发送', exact: true }).click();
    await page.getByText('已发送。').waitFor();
    await page.locator('li.tipster', { hasText: answer }).waitFor();
    expect(await page.getByText('待回答', { exact: true }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    const seen = await office<TipForOfficer>(`/api/office/tips/${tip.tipId}`);
    expect(seen.messages.map((message) => [message.from, message.text])).toEqual([
      ['office', question],
      ['tipster', answer],
    ]);

    // The stored photos carry no EXIF (no maker, no position).
    expect(seen.photoKeys).toHaveLength(2);
    for (const key of seen.photoKeys) {
      const stored = await cloud.blobStore.get(key);
      expect(stored, key).not.toBeNull();
      const bytes = Buffer.from(stored?.bytes ?? []);
      const metadata = await sharp(bytes).metadata();
      expect(metadata.exif, key).toBeUndefined();
      expect(bytes.includes('TestPhone'), key).toBe(false);
      expect(Math.max(metadata.width ?? 0, metadata.height ?? 0)).toBeLessThanOrEqual(2048);
    }

    // Leaving forgets the tip.
    await page.getByRole('button', { name: '退出查询' }).click();
    await page.getByLabel('回执码').waitFor();
    expect(await page.getByLabel('回执码').inputValue()).toBe('');
    expect(await page.content()).not.toContain(marker);
    expect(await traces(page, consoleLines)).not.toContain(receipt);
    await page.context().close();
  });

  it('keeps a tip typed offline on the phone and sends it once when the network returns', async () => {
    const page = await openPage(browser, phoneViewport);
    const marker = `OFFLINE-${Date.now()}`;
    await page.goto(`${cloud.url}/report/`);
    await fillReport(page, marker);
    await page.context().setOffline(true);
    await page.getByRole('button', { name: '提交举报' }).click();
    await page.getByRole('heading', { name: '举报已保存在本机' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('qingling:pending-tip'))).toContain(
      marker,
    );

    await page.context().setOffline(false); // the "online" event sends it
    const shown = page.locator('[data-receipt]');
    await shown.waitFor({ timeout: 30_000 });
    // A reload before confirming sends the same tip again: the same receipt, no second tip.
    const first = await shown.textContent();
    page.once('dialog', (dialog) => dialog.accept());
    await page.reload();
    await page.locator('[data-receipt]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-receipt]').textContent()).toBe(first);
    const { tips } = await office<{ tips: TipSummary[] }>(
      '/api/office/tips?jurisdiction=cq-gecheng',
    );
    expect(tips.filter((tip) => tip.excerpt.includes(marker))).toHaveLength(1);

    await page.getByLabel('我已保存回执码').check();
    await page.getByRole('button', { name: '完成' }).click();
    expect(await page.evaluate(() => localStorage.getItem('qingling:pending-tip'))).toBeNull();
    await page.context().close();
  });

  it('opens the report page without a network once it has been visited', async () => {
    const page = await openPage(browser, phoneViewport);
    await page.goto(`${cloud.url}/report/`);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
        timeout: 30_000,
      })
      .toBe(true);
    await page.context().setOffline(true);
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    const submit = page.getByRole('button', { name: '提交举报' });
    await expect.poll(() => submit.isEnabled()).toBe(true); // its JavaScript came from the cache
    // The jurisdictions too (the last list seen).
    await page.getByLabel('所在街道、乡镇或园区').selectOption('cq-gecheng');
    await page.context().setOffline(false);
    await page.context().close();
  });

  it('shows the checks in English next to their fields', async () => {
    const page = await openPage(browser, phoneViewport);
    await page.goto(`${cloud.url}/en/report/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const submit = page.getByRole('button', { name: 'Send the report' });
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await page.getByLabel('What is wrong').fill('too short');
    await submit.click();
    const summary = page.getByRole('alert');
    await summary.waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('summary'))).toBe(
      true,
    );
    const description = page.getByLabel('What is wrong');
    expect(await description.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await description.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain('tip-description-error');
    expect(await page.locator('#tip-description-error').textContent()).toContain(
      'at least 10 characters',
    );
    expect(await accessibilityViolations(page)).toEqual([]);

    // Corrected, the field loses its error at once; what is still wrong stays listed.
    await description.fill('The fire exit is blocked by boxes every night.');
    await expect.poll(() => description.getAttribute('aria-invalid')).toBe(null);
    expect(await summary.textContent()).not.toContain('at least 10 characters');
    expect(await summary.textContent()).toContain('Choose the subdistrict');

    // What the server refuses comes back to its field, in the reader's language.
    await page.route('**/api/tips', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'invalid_request',
            message: { zh: '请求内容有误，请检查后重试。', en: 'The request is not valid.' },
            issues: [
              { path: 'address', message: { zh: '地址不对。', en: 'This address is refused.' } },
            ],
          },
        }),
      }),
    );
    await page.getByLabel('Subdistrict, town or zone').selectOption('cq-gecheng');
    await page.getByLabel('Industry').selectOption('fire');
    await page.getByLabel('Address').fill('东门路 18 号仓库');
    await description.fill('仓库安全出口被货物堵住，消防通道上停满电动车。');
    await submit.click();
    await page.locator('#tip-address-error').waitFor();
    expect(await page.locator('#tip-address-error').textContent()).toContain(
      'This address is refused.',
    );
    expect(await page.getByLabel('Address').getAttribute('aria-describedby')).toContain(
      'tip-address-error',
    );
    expect(await page.getByLabel('Address').inputValue()).toBe('东门路 18 号仓库'); // kept
    expect(await page.evaluate(() => localStorage.getItem('qingling:pending-tip'))).toBeNull();

    await page.goto(`${cloud.url}/en/follow-up/`);
    await expect.poll(() => page.getByRole('button', { name: 'Look up' }).isEnabled()).toBe(true);
    const receiptField = page.getByLabel('Receipt');
    // Nothing typed: the receipt is asked for, not said to be wrong.
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('#receipt-error', { hasText: 'Enter your receipt.' }).waitFor();
    await receiptField.fill('123456 123456 123456');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('#receipt-error').waitFor();
    expect(await page.locator('#receipt-error').textContent()).toContain('check the 18 digits');
    expect(await receiptField.getAttribute('aria-describedby')).toContain('receipt-error');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Too many failed look-ups: the API's own message.
    await page.route('**/api/tips/lookup', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'too_many_attempts',
            message: {
              zh: '尝试次数过多，请稍后再试。',
              en: 'Too many attempts; please try again later.',
            },
          },
        }),
      }),
    );
    await receiptField.fill(formatReceipt(receiptFromDigits('1234567890123456'))); // well-formed
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect
      .poll(() => page.locator('#receipt-error').textContent())
      .toContain('Too many attempts');
    await page.context().close();
  });

  it('adds a photo chosen twice only once, and says so', async () => {
    // Chosen again from the gallery, the same photo may come with another name (iOS).
    const again = join(photoDirectory, 'IMG_0001.jpg');
    await copyFile(photos[0] as string, again);
    for (const [path, submit, notice] of [
      ['/report/', '提交举报', '这张照片已添加。'],
      ['/en/report/', 'Send the report', 'This photo is already added.'],
    ] as const) {
      const page = await openPage(browser, phoneViewport);
      await page.goto(`${cloud.url}${path}`);
      const hydrated = () => page.getByRole('button', { name: submit }).isEnabled();
      await expect.poll(hydrated).toBe(true);
      const picker = page.locator('#tip-photos');
      const ready = page.locator('li[data-status="ready"]');
      await picker.setInputFiles(photos[0] as string);
      await expect.poll(() => ready.count(), { timeout: 30_000 }).toBe(1);
      await picker.setInputFiles(again);
      await page.getByRole('status').filter({ hasText: notice }).waitFor({ timeout: 30_000 });
      expect(await page.locator('.photo-list li').count(), path).toBe(1);
      // With a new photo beside it, only the new one is added.
      await picker.setInputFiles([photos[0] as string, photos[1] as string]);
      await expect.poll(() => ready.count(), { timeout: 30_000 }).toBe(2);
      expect(await page.locator('.photo-list li').count(), path).toBe(2);
      await page.getByRole('status').filter({ hasText: notice }).waitFor();
      await page.context().close();
    }
  });

  it('shows beside each added photo whether it arrived, and why one that is no photo was refused', async () => {
    const created = await postJson(`${cloud.url}/api/tips`, validTip());
    // A drawing with a photo's name: the browser cannot decode it and sends it as it is.
    const drawing = join(photoDirectory, 'drawing.png');
    await writeFile(
      drawing,
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="red"/></svg>',
    );
    const page = await openPage(browser, phoneViewport);
    await page.goto(`${cloud.url}/follow-up/`);
    const lookUp = page.getByRole('button', { name: '查询', exact: true });
    await expect.poll(() => lookUp.isEnabled()).toBe(true); // hydrated
    await page.getByLabel('回执码').fill(created.body.receipt);
    await lookUp.click();
    await page.getByRole('heading', { name: '举报进度', exact: true }).waitFor();
    await page.locator('#more-photos').setInputFiles([drawing, photos[1] as string]);
    const send = page.getByRole('button', { name: '上传 2 张照片' });
    await expect.poll(() => send.isEnabled(), { timeout: 30_000 }).toBe(true);
    await send.click();

    const refused = page.locator('.photo-list li[data-status="refused"]');
    await refused.waitFor({ timeout: 60_000 });
    expect(await refused.textContent()).toContain('这不是照片');
    await expect
      .poll(() => page.locator('.photo-list li[data-status="arrived"]').count(), {
        timeout: 30_000,
      })
      .toBe(1);
    await page.getByRole('alert').filter({ hasText: '有照片未被接受' }).waitFor();
    // The tip itself lists each photo given a form: what arrived, what was refused and why.
    const slots = page.locator('.photo-slots li');
    expect(await slots.allTextContents()).toEqual([
      expect.stringMatching(/照片 1：\s*未被接受：这不是照片/),
      expect.stringMatching(/照片 2：\s*已收到/),
    ]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('switches the follow-up page to English and back, keeping the open tip and the reply', async () => {
    const marker = `LANG-${Date.now()}`;
    const created = await postJson(
      `${cloud.url}/api/tips`,
      validTip({ description: `${marker} 仓库安全出口被货物堵住，消防通道上停满电动车。` }),
    );
    expect(created.status).toBe(201);
    const receipt = created.body.receipt as string;
    const formatted = formatReceipt(receipt);
    const page = await openPage(browser, phoneViewport);
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    await page.goto(`${cloud.url}/follow-up/`);
    const lookUp = page.getByRole('button', { name: '查询', exact: true });
    await expect.poll(() => lookUp.isEnabled()).toBe(true); // hydrated
    await page.getByLabel('回执码').fill(formatted);
    await lookUp.click();
    await page.getByRole('heading', { name: '举报进度', exact: true }).waitFor();
    const draft = '补充：北门也堵住了。';
    await page.locator('#reply').fill(draft);
    // A reload would show an empty page: mark this document to see that it stays.
    await page.evaluate(() => {
      (window as { sameDocument?: boolean }).sameDocument = true;
    });

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/en\/follow-up\/$/);
    await page.getByRole('heading', { name: 'Progress of your tip', exact: true }).waitFor();
    expect(await page.getByText(marker).count()).toBe(1);
    expect(await page.locator('.status-name').textContent()).toBe('Received');
    expect(await page.locator('#reply').inputValue()).toBe(draft);
    expect(await page.getByLabel('Add information').inputValue()).toBe(draft);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('link', { name: 'English' }).getAttribute('aria-current')).toBe(
      'true',
    );
    expect(await page.title()).toBe('Follow up a tip · Qingling');
    expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForURL(/\/follow-up\/$/);
    expect(new URL(page.url()).pathname).toBe('/follow-up/');
    await page.getByRole('heading', { name: '举报进度', exact: true }).waitFor();
    expect(await page.locator('#reply').inputValue()).toBe(draft);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');

    // The receipt went nowhere: not the address bar, storage, history or the console.
    const kept = `${await traces(page, consoleLines)}\n${await page.evaluate(() => JSON.stringify(history.state))}`;
    expect(kept).not.toContain(receipt);
    expect(kept).not.toContain(formatted);
    await page.context().close();
  });

  it('says how else to report when JavaScript is off', async () => {
    // The prerendered page carries the notice in <noscript>, for browsers without JavaScript.
    for (const [path, text] of [
      ['/report/', '无法在网上提交举报'],
      ['/en/report/', 'the report cannot be sent online'],
      ['/follow-up/', '无法在网上查询'],
    ] as const) {
      const html = await (await fetch(`${cloud.url}${path}`)).text();
      const notice = /<noscript[^>]*>(.*?)<\/noscript>/s.exec(html)?.[1] ?? '';
      expect(notice, path).toContain(text);
      expect(notice, path).toContain('tel:12350');
    }
    // Chromium's "JavaScript disabled" emulation does not render <noscript>, but it shows
    // that the form, which cannot be sent without JavaScript, stays hidden.
    const context = await browser.newContext({
      viewport: phoneViewport,
      locale: 'zh-CN',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(`${cloud.url}/report/`);
    expect(await page.getByRole('heading', { name: '举报安全隐患' }).isVisible()).toBe(true);
    expect(await page.locator('form').isVisible()).toBe(false);
    await context.close();
  });
});

describe("the public pages' weight", () => {
  // Weighed as `npm run bench -- pages` weighs it (the same function, bench/page-weight.ts): a
  // phone loading the built page, each file gzipped as a CDN sends it, the worker's included.
  const weigh = async (path: string, goal: number) => {
    const context = await browser.newContext(phoneContext);
    try {
      const weight = await measureWeight(context, `${cloud.url}${path}`);
      expect(jsGoalBytes(path)).toBe(goal);
      expect(
        weight.jsGzipBytes,
        `${path}: ${weight.jsGzipBytes} B of JavaScript; heaviest: ${JSON.stringify(weight.heaviest)}`,
      ).toBeLessThanOrEqual(goal);
    } finally {
      await context.close();
    }
  };

  it.each(reportPaths)('%s loads at most 45 KB of JavaScript, gzipped', (path) =>
    weigh(path, 45 * 1024),
  );

  // The tipster's follow-up page: the open tip's view loads only once a tip is opened.
  it.each(['/follow-up/', '/en/follow-up/'])(
    '%s loads at most 60 KB of JavaScript, gzipped',
    (path) => weigh(path, 60 * 1024),
  );
});

describe('the public pages on a slow phone', () => {
  // Lighthouse's LCP (bench/pages.ts) counts every file a page fetched before its first paint
  // was on the screen. The pages are complete as prerendered, so they fetch nothing before it:
  // no JavaScript (it starts after the paint entry, after-first-paint.server.ts) and no icon.
  it.each(['/', ...reportPaths, '/follow-up/'])(
    '%s is painted before it fetches any file but itself',
    async (path) => {
      const context = await browser.newContext(phoneContext);
      try {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
        const requested: string[] = [];
        page.on('request', (request) => requested.push(new URL(request.url()).pathname));
        await page.goto(`${cloud.url}${path}`);
        // The JavaScript starts only after the paint, which may come after the network has
        // been idle for a while (4x CPU, a loaded machine): wait for it to arrive, not for idle.
        if (path !== '/') {
          await expect
            .poll(() =>
              page.evaluate(() =>
                performance
                  .getEntriesByType('resource')
                  .some((entry) => new URL(entry.name).pathname.endsWith('.js')),
              ),
            )
            .toBe(true);
        }
        await page.waitForLoadState('networkidle');
        // A page with nothing to fetch (/) can be idle before its paint (4x CPU, a slow machine).
        await expect
          .poll(() =>
            page.evaluate(() => performance.getEntriesByName('first-contentful-paint').length),
          )
          .toBe(1);
        const timing = await page.evaluate(async () => ({
          paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
          // The largest paint: the page's text may come in a later paint than the first one
          // (a parser that yields), and the JavaScript must not delay that one either.
          largest: await new Promise<number>((resolve) => {
            new PerformanceObserver((entries, observer) => {
              observer.disconnect();
              resolve(entries.getEntries().at(-1)?.startTime ?? 0);
            }).observe({ type: 'largest-contentful-paint', buffered: true });
          }),
          files: performance
            .getEntriesByType('resource')
            .map((entry) => ({ name: new URL(entry.name).pathname, startTime: entry.startTime })),
        }));
        expect(timing.paint, path).not.toBeNull();
        const painted = Math.max(timing.paint ?? 0, timing.largest);
        const early = timing.files.filter((file) => file.startTime < painted);
        expect(early, `${path}: fetched before the paint at ${painted} ms`).toEqual([]);
        expect(requested.filter((name) => name.includes('favicon'))).toEqual([]);
        if (path !== '/') expect(timing.files.some((file) => file.name.endsWith('.js'))).toBe(true);
      } finally {
        await context.close();
      }
    },
  );

  it.each([reportPaths[0], '/follow-up/'])(
    '%s still starts its JavaScript in a browser without paint timing',
    async (path) => {
      const context = await browser.newContext(phoneContext);
      try {
        const page = await context.newPage();
        await page.addInitScript(() => {
          // @ts-expect-error: an older browser's window
          delete window.PerformanceObserver;
        });
        await page.goto(`${cloud.url}${path}`);
        // Hydrated: the form's submit button, disabled in the prerendered page, is enabled.
        const submit = page.locator('form button[type="submit"]').first();
        await expect.poll(() => submit.isEnabled()).toBe(true);
      } finally {
        await context.close();
      }
    },
  );
});
