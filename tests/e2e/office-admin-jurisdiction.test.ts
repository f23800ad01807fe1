import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityViolations, desktopViewport, openPage } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn } from '../support/embedded-cloud.ts';
import { consoleTestbed, signedInPage } from '../support/office-console.ts';

// Issue 14, the administrator's desk: a jurisdiction's names and its units (村/社区) could be
// changed only through the API. The administrator of 葛城街道 adds a community on a phone,
// types one twice (said beside the box, nothing saved), fixes it and saves; the public
// report form then offers the new community. In English on a desktop, the page says so
// when another administrator saved first and shows their version. axe-clean, and no
// sideways scrolling at 360 px.
const clock = new ManualClock('2026-12-03T02:00:00.000Z'); // Thu 10:00 CST
const bed = consoleTestbed(clock);
const administrator = 'cq-gecheng.administrator';
const jurisdictionApi = () => `${bed.cloud.url}/api/jurisdictions`;

interface StoredJurisdiction {
  code: string;
  zh: string;
  en: string;
  units: string[];
  version: number;
}

async function stored(): Promise<StoredJurisdiction> {
  const reply = await fetch(jurisdictionApi());
  expect(reply.status).toBe(200);
  const { jurisdictions } = (await reply.json()) as { jurisdictions: StoredJurisdiction[] };
  const found = jurisdictions.find((jurisdiction) => jurisdiction.code === 'cq-gecheng');
  if (!found) throw new Error('cq-gecheng is not listed');
  return found;
}

const unitsBox = (page: Page) => page.locator('#jurisdiction-units');
const unitsError = (page: Page) => page.locator('[data-field-error="units"]');

/** The page scrolls sideways when something is wider than the window. */
const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe("the administrator's jurisdiction page", () => {
  it('adds a community in Chinese on a phone: refused while listed twice, then offered to the public', async () => {
    const page = await signedInPage(bed, administrator);
    await page.goto(`${bed.cloud.url}/office/admin/jurisdiction`);
    await page.getByRole('heading', { level: 1, name: '辖区名称与下辖单位' }).waitFor();
    await page.locator('[data-jurisdiction-version="1"]').waitFor();
    expect(await unitsBox(page).inputValue()).toBe('东门社区\n西门社区\n南门社区');
    expect(await page.locator('#jurisdiction-zh').inputValue()).toBe('葛城街道');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await overflows(page)).toBe(false);

    await unitsBox(page).fill('东门社区\n西门社区\n南门社区\n\n  新华社区  \n东门社区');
    const save = page.getByRole('button', { name: '保存辖区信息' });
    await save.click();
    await unitsError(page).waitFor();
    expect(await unitsError(page).innerText()).toBe('下辖单位不能重复。');
    expect(await unitsBox(page).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-invalid="jurisdiction"]').innerText()).toBe(
      '未保存：请按提示修改标出的内容。',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await stored()).version).toBe(1);

    await unitsBox(page).fill('东门社区\n西门社区\n南门社区\n\n  新华社区  ');
    await save.click();
    await page.locator('[data-saved="jurisdiction"]').waitFor();
    await page.locator('[data-jurisdiction-version="2"]').waitFor();
    expect(await unitsError(page).count()).toBe(0);
    const saved = await stored();
    expect(saved).toMatchObject({
      zh: '葛城街道',
      units: ['东门社区', '西门社区', '南门社区', '新华社区'],
      version: 2,
    });
    expect(await overflows(page)).toBe(false);
    await page.context().close();

    // A member of the public opens the report form: the new community is a choice.
    const report = await openPage(bed.browser);
    await report.goto(`${bed.cloud.url}/report/`);
    await report.locator('#tip-jurisdiction').selectOption('cq-gecheng');
    await expect
      .poll(() => report.locator('#tip-unit option').allTextContents())
      .toContain('新华社区');
    await report.context().close();
  });

  it('renames in English on a desktop, and says so when another administrator saved first', async () => {
    const page = await signedInPage(bed, administrator, {
      viewport: desktopViewport,
      language: '/en',
    });
    await page.getByRole('link', { name: 'Jurisdiction' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Jurisdiction names and units' }).waitFor();
    await page.locator('[data-jurisdiction-version="2"]').waitFor();

    // An empty name is refused beside its box.
    const english = page.locator('#jurisdiction-en');
    await english.fill('   ');
    const save = page.getByRole('button', { name: 'Save the jurisdiction' });
    await save.click();
    await page.locator('[data-field-error="en"]').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await stored()).version).toBe(2);

    // Someone else removes a community while this page is open.
    const token = await signIn(bed.cloud.url, administrator);
    const theirs = await fetch(`${jurisdictionApi()}/cq-gecheng`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        zh: '葛城街道',
        en: 'Gecheng Subdistrict, Chongqing',
        units: ['东门社区', '西门社区', '新华社区'],
        expectedVersion: 2,
      }),
    });
    expect(theirs.status).toBe(200);

    await english.fill('Gecheng Subdistrict');
    await save.click();
    await page.locator('[data-conflict="jurisdiction"]').waitFor();
    expect(await page.locator('[data-conflict="jurisdiction"]').innerText()).toContain(
      'Someone changed this jurisdiction before you saved',
    );
    await page.locator('[data-jurisdiction-version="3"]').waitFor();
    expect(await unitsBox(page).inputValue()).toBe('东门社区\n西门社区\n新华社区');
    expect(await english.inputValue()).toBe('Gecheng Subdistrict, Chongqing');
    expect((await stored()).version).toBe(3);

    // Saved again on the version now shown: the new name is kept.
    await english.fill('Gecheng Subdistrict');
    await save.click();
    await page.locator('[data-jurisdiction-version="4"]').waitFor();
    expect(await stored()).toMatchObject({ en: 'Gecheng Subdistrict', version: 4 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
