import { defaultEscalationPolicy, spreadOffsetMs } from '@qingling/shared/hazards/escalation.ts';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityViolations, desktopViewport } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn } from '../support/embedded-cloud.ts';
import { recordHazardWithDeadline } from '../support/hazards.ts';
import { consoleTestbed, signedInPage } from '../support/office-console.ts';

// Issue 14, the administrator's desk: a jurisdiction's contacts (who its reminders,
// circulars and summons reach) could be edited only through the API. The administrator of
// 葛城街道 opens the contacts page, adds the leader in charge's mobile mistyped (said beside
// the box, nothing saved), fixes it, saves, reloads and sees it, and the API answers with
// it; in English on a desktop, an e-mail for the principal leader, and the page says so
// when another administrator saved first. axe-clean, and no sideways scrolling at 360 px.
// Last, the lifecycle's next circular reaches the department head the page entered.
const clock = new ManualClock('2026-12-03T02:00:00.000Z'); // Thu 10:00 CST
const bed = consoleTestbed(clock);
const administrator = 'cq-gecheng.administrator';
const contactsApi = () => `${bed.cloud.url}/api/admin/jurisdictions/cq-gecheng/contacts`;

interface StoredContacts {
  contacts: Record<string, Record<string, string>[]>;
  version: number;
  edits: { version: number; by: string; changed: string[] }[];
}

async function storedContacts(): Promise<StoredContacts> {
  const token = await signIn(bed.cloud.url, administrator);
  const reply = await fetch(contactsApi(), { headers: { authorization: `Bearer ${token}` } });
  expect(reply.status).toBe(200);
  return (await reply.json()) as StoredContacts;
}

const box = (page: Page, recipient: string, index: number, field: string) =>
  page.locator(`#contacts-contacts-${recipient}-${index}-${field}`);
const errorOf = (page: Page, recipient: string, index: number, field: string) =>
  page.locator(`[data-field-error="contacts.${recipient}.${index}.${field}"]`);

/** The page scrolls sideways when something is wider than the window. */
const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe("the administrator's contacts page", () => {
  it('adds the leader in charge’s mobile in Chinese on a phone: refused while mistyped, then saved', async () => {
    const page = await signedInPage(bed, administrator);
    await page.goto(`${bed.cloud.url}/office/admin/contacts`);
    await page.getByRole('heading', { level: 1, name: '接收方联系方式' }).waitFor();
    await page.locator('[data-contacts-version="0"]').waitFor();
    expect((await storedContacts()).version).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.locator('[data-add="leader_in_charge"]').click();
    const mobile = box(page, 'leader_in_charge', 0, 'phone');
    await mobile.fill('1360013600'); // ten digits
    await page.getByRole('button', { name: '保存联系方式' }).click();
    const error = errorOf(page, 'leader_in_charge', 0, 'phone');
    await error.waitFor();
    expect(await error.innerText()).toBe('须为 11 位中国大陆手机号码。');
    expect(await mobile.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-invalid="contacts"]').innerText()).toBe(
      '未保存：请按提示修改标出的内容。',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await overflows(page)).toBe(false);
    // Nothing was saved.
    expect((await storedContacts()).version).toBe(0);

    await mobile.fill('136 0013 6000');
    await page.getByRole('button', { name: '保存联系方式' }).click();
    await page.locator('[data-saved="contacts"]').waitFor();
    expect(await error.count()).toBe(0);
    await page.locator('[data-contacts-version="1"]').waitFor();

    // The server has it, as it normalised it, and logged who changed which list.
    const stored = await storedContacts();
    expect(stored.version).toBe(1);
    expect(stored.contacts.leader_in_charge).toEqual([{ kind: 'sms', phone: '13600136000' }]);
    expect(stored.contacts.principal_leader).toEqual([]);
    expect(stored.edits.map((edit) => edit.changed)).toEqual([['leader_in_charge']]);

    await page.reload();
    await page.locator('[data-contacts-version="1"]').waitFor();
    expect(await box(page, 'leader_in_charge', 0, 'phone').inputValue()).toBe('13600136000');
    expect(await page.locator('#contacts-contacts-leader_in_charge-0-kind').inputValue()).toBe(
      'sms',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await overflows(page)).toBe(false);
    await page.context().close();
  });

  it('adds an e-mail in English on a desktop, and says so when another administrator saved first', async () => {
    const page = await signedInPage(bed, administrator, {
      viewport: desktopViewport,
      language: '/en',
    });
    await page.getByRole('link', { name: 'Contacts' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Who notifications reach' }).waitFor();
    await page.locator('[data-contacts-version="1"]').waitFor();
    expect(await box(page, 'leader_in_charge', 0, 'phone').inputValue()).toBe('13600136000');

    await page.locator('[data-add="principal_leader"]').click();
    await page.locator('#contacts-contacts-principal_leader-0-kind').selectOption('email');
    const address = box(page, 'principal_leader', 0, 'address');
    await address.fill('zhang.example.cn');
    const save = page.getByRole('button', { name: 'Save the contacts' });
    await save.click();
    const error = errorOf(page, 'principal_leader', 0, 'address');
    await error.waitFor();
    expect(await error.innerText()).toBe('This must be an e-mail address.');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await storedContacts()).version).toBe(1);

    await address.fill('zhang@example.cn');
    await save.click();
    await page.locator('[data-saved="contacts"]').waitFor();
    const saved = await storedContacts();
    expect(saved.version).toBe(2);
    expect(saved.contacts.principal_leader).toEqual([
      { kind: 'email', address: 'zhang@example.cn' },
    ]);
    expect(saved.contacts.leader_in_charge).toEqual([{ kind: 'sms', phone: '13600136000' }]);

    // Someone else replaces the leader's mobile while this page is open.
    const token = await signIn(bed.cloud.url, administrator);
    const theirs = await fetch(contactsApi(), {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        contacts: { ...saved.contacts, leader_in_charge: [{ kind: 'sms', phone: '13900139000' }] },
        expectedVersion: 2,
      }),
    });
    expect(theirs.status).toBe(200);

    // This page removes the leader's mobile: refused as stale, and theirs shown.
    await page
      .getByRole('button', { name: /^Remove/ })
      .first()
      .click();
    await save.click();
    await page.locator('[data-conflict="contacts"]').waitFor();
    expect(await page.locator('[data-conflict="contacts"]').innerText()).toContain(
      "Someone changed this jurisdiction's contacts before you saved",
    );
    await page.locator('[data-contacts-version="3"]').waitFor();
    expect(await box(page, 'leader_in_charge', 0, 'phone').inputValue()).toBe('13900139000');
    const after = await storedContacts();
    expect(after.version).toBe(3);
    expect(after.contacts.leader_in_charge).toEqual([{ kind: 'sms', phone: '13900139000' }]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('a hazard’s circular reaches the department head entered on the page', async () => {
    const page = await signedInPage(bed, administrator);
    await page.goto(`${bed.cloud.url}/office/admin/contacts`);
    await page.locator('[data-contacts-version="3"]').waitFor();
    await page.locator('[data-add="department_head"]').click();
    await box(page, 'department_head', 0, 'phone').fill('13700137000');
    await page.getByRole('button', { name: '保存联系方式' }).click();
    await page.locator('[data-saved="contacts"]').waitFor();
    expect((await storedContacts()).contacts.department_head).toEqual([
      { kind: 'sms', phone: '13700137000' },
    ]);
    await page.context().close();

    // An officer records a hazard due Mon 7 Dec (24:00 CST); the circular is 7 days on.
    const { hazardId } = await recordHazardWithDeadline(bed.cloud, 'cq-gecheng', {
      date: '2026-12-07',
    });
    // The notice letter and the circular: 09:05 CST and the hazard's place in the spread
    // window after 09:00.
    const spread = spreadOffsetMs(hazardId, defaultEscalationPolicy);
    for (const instant of ['2026-12-08T01:05:00.000Z', '2026-12-15T01:05:00.000Z']) {
      clock.set(new Date(Date.parse(instant) + spread).toISOString());
      bed.cloud.conductor.tick();
      await bed.cloud.conductor.settled();
    }
    const circular = (await bed.cloud.outbox.list()).filter(
      (entry) => entry.key === `${hazardId}#1#circular#department_head`,
    );
    expect(circular).toMatchObject([
      { to: 'department_head@cq-gecheng', contacts: [{ kind: 'sms', phone: '13700137000' }] },
    ]);
  });
});
