import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityViolations, desktopViewport, phoneViewport } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn } from '../support/embedded-cloud.ts';
import { consoleTestbed, signedInPage } from '../support/office-console.ts';

// The desk warned "there is no holiday calendar for 2027 yet, an administrator should
// enter it" and no screen could (a newcomer's finding). The administrator follows the
// warning to the calendar page, types the year as the State Council's notice gives it, is
// told beside the box what cannot be read or is wrong, saves, and the warning is gone;
// when another administrator saved first, the page says so and shows theirs.
const clock = new ManualClock('2026-12-03T02:00:00.000Z'); // Thu 10:00 CST
const bed = consoleTestbed(clock);

function administratorPage(viewport = phoneViewport, language: '' | '/en' = ''): Promise<Page> {
  return signedInPage(bed, 'cq-gecheng.administrator', { viewport, language });
}

async function storedYear(year: number) {
  const token = await signIn(bed.cloud.url, 'cq-gecheng.administrator');
  const reply = await fetch(`${bed.cloud.url}/api/admin/policies`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await reply.json()) as {
    calendar: {
      years: { year: number; holidays: string[]; workdays: string[]; version: number }[];
      warnings: { year: number }[];
    };
  };
  return {
    year: body.calendar.years.find((entry) => entry.year === year),
    warned: body.calendar.warnings.some((warning) => warning.year === year),
  };
}

describe("the administrator's calendar page", () => {
  it('enters next year from the desk’s warning, in Chinese on a phone', async () => {
    const page = await administratorPage();
    expect((await storedYear(2027)).warned).toBe(true);
    await page.getByRole('link', { name: '录入 2027 年节假日安排' }).click();
    await page.getByRole('heading', { level: 2, name: '编辑 2027 年' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    const daysOff = page.getByLabel('放假日');
    const workdays = page.getByLabel('调休上班日');
    const save = page.getByRole('button', { name: '保存 2027 年节假日安排' });

    // A word that is no date: said beside the box, and nothing is sent.
    await daysOff.fill('2027-01-01\n2027-02-06 至 2027-02-12\n春节');
    await save.click();
    const daysOffError = page.locator('[data-field-error="holidays"]');
    await daysOffError.waitFor();
    expect(await daysOffError.innerText()).toBe('无法识别：春节');
    expect(await daysOff.getAttribute('aria-invalid')).toBe('true');
    expect((await storedYear(2027)).year).toBeUndefined();

    // A make-up working day on a Monday: the server refuses it, beside its box.
    await daysOff.fill('2027-01-01\n2027-02-06 至 2027-02-12');
    await workdays.fill('2027-02-15');
    await save.click();
    const workdayError = page.locator('[data-field-error="workdays"]');
    await workdayError.waitFor();
    expect(await workdayError.innerText()).toContain('调休上班日应为周六或周日');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await storedYear(2027)).year).toBeUndefined();

    await workdays.fill('2027-02-14');
    await save.click();
    await page.locator('[data-saved="calendar"]').waitFor();
    const stored = await storedYear(2027);
    expect(stored.year?.holidays).toEqual([
      '2027-01-01',
      ...['06', '07', '08', '09', '10', '11', '12'].map((day) => `2027-02-${day}`),
    ]);
    expect(stored.year?.workdays).toEqual(['2027-02-14']);
    expect(stored.year?.version).toBe(1);
    expect(stored.warned).toBe(false);
    // The box shows the days as runs, as they were typed.
    expect(await daysOff.inputValue()).toBe('2027-01-01\n2027-02-06~2027-02-12');
    expect(await page.locator('[data-year="2027"]').innerText()).toContain('8 天放假');

    // Back on the desk: no warning left, and the year counted.
    await page.goto(`${bed.cloud.url}/office`);
    await page.locator('[data-admin="calendar"]').waitFor();
    expect(await page.locator('[data-admin="calendar"]').innerText()).toContain('2027 年');
    expect(await page.getByRole('link', { name: /录入 2027 年/ }).count()).toBe(0);
    await page.context().close();
  });

  it('says so in English when another administrator saved first, and shows theirs', async () => {
    const page = await administratorPage(desktopViewport, '/en');
    await page.goto(`${bed.cloud.url}/en/office/admin/calendar?year=2027`);
    const daysOff = page.getByLabel('Days off');
    await daysOff.waitFor();
    expect(await daysOff.inputValue()).toBe('2027-01-01\n2027-02-06~2027-02-12');

    // Someone else adds Tomb-Sweeping Day while this page is open.
    const token = await signIn(bed.cloud.url, 'cq-gecheng.administrator');
    const theirs = await fetch(`${bed.cloud.url}/api/admin/calendar/2027`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        holidays: ['2027-01-01', '2027-04-05'],
        workdays: [],
        expectedVersion: 1,
      }),
    });
    expect(theirs.status).toBe(200);

    await daysOff.fill('2027-01-01\n2027-05-01~2027-05-05');
    await page.getByRole('button', { name: 'Save the 2027 calendar' }).click();
    await page.locator('[data-conflict="calendar"]').waitFor();
    expect(await page.locator('[data-conflict="calendar"]').innerText()).toContain(
      'Another administrator has just changed this year',
    );
    expect(await daysOff.inputValue()).toBe('2027-01-01\n2027-04-05');
    expect((await storedYear(2027)).year?.version).toBe(2);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
