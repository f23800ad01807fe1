import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  desktopViewport,
  openPage,
  phoneViewport,
} from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn } from '../support/embedded-cloud.ts';
import { consoleTestbed, signedInPage } from '../support/office-console.ts';

// Issue 14, the administrator's desk: users and roles could not be managed at all. The
// administrator of 葛城街道, on a phone in Chinese, types a bad username (said beside the
// box, nobody added), adds 林晓 as an officer, and 林晓 signs in to an officer's desk. In
// English on a desktop, the administrator cannot drop their own administrator role, is told
// when another administrator changed 林晓 first, and then disables the account, which can no
// longer sign in. axe-clean, and no sideways scrolling at 360 px.
const clock = new ManualClock('2026-12-03T02:00:00.000Z'); // Thu 10:00 CST
const bed = consoleTestbed(clock);
const administrator = 'cq-gecheng.administrator';
const newcomer = 'cq-gecheng.linxiao';
const usersApi = () => `${bed.cloud.url}/api/admin/jurisdictions/cq-gecheng/users`;

// biome-ignore lint/suspicious/noExplicitAny: the API's reply, checked by its fields
async function storedUsers(): Promise<any[]> {
  const token = await signIn(bed.cloud.url, administrator);
  const reply = await fetch(usersApi(), { headers: { authorization: `Bearer ${token}` } });
  expect(reply.status).toBe(200);
  return ((await reply.json()) as { users: [] }).users;
}
const storedUser = async (username: string) =>
  (await storedUsers()).find((user) => user.username === username);

const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
const card = (page: Page, username: string) => page.locator(`[data-user="${username}"]`);

describe("the administrator's users and roles page", () => {
  it('adds an officer in Chinese on a phone, who then signs in to an officer’s desk', async () => {
    const page = await signedInPage(bed, administrator);
    await page.getByRole('link', { name: '用户与角色' }).first().click();
    await page.getByRole('heading', { level: 1, name: '用户与角色' }).waitFor();
    await card(page, 'cq-gecheng.officer').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await overflows(page)).toBe(false);

    const username = page.locator('#new-user-username');
    await username.fill('Lin Xiao');
    await page.locator('#new-user-name').fill('林晓');
    await page.getByRole('checkbox', { name: '监管人员' }).last().check();
    await page.getByRole('button', { name: '添加', exact: true }).click();
    const usernameError = page.locator('[data-field-error="username"]');
    await usernameError.waitFor();
    expect(await usernameError.innerText()).toContain('用户名须为');
    expect(await username.getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await storedUser('lin xiao')).toBeUndefined();

    await username.fill(newcomer);
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await page.locator('[data-saved="add-user"]').waitFor();
    await card(page, newcomer).waitFor();
    expect(await card(page, newcomer).locator('[data-roles]').innerText()).toBe('监管人员');
    expect(await storedUser(newcomer)).toMatchObject({ roles: ['officer'], version: 1 });
    expect(await overflows(page)).toBe(false);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();

    // 林晓 is on the sign-in page now (signed in through it, not with signInTab), and lands
    // on an officer's desk.
    const theirs = await openPage(bed.browser, phoneViewport);
    await theirs.goto(`${bed.cloud.url}/office/sign-in`);
    await theirs.getByRole('button', { name: /cq-gecheng\.linxiao/ }).click();
    await theirs.waitForURL(/\/office$/);
    await theirs.getByRole('link', { name: '隐患台账' }).first().waitFor();
    expect(await theirs.getByRole('link', { name: '用户与角色' }).count()).toBe(0);
    await theirs.context().close();
  });

  it('in English on a desktop: no self lock-out, a conflict said, then a disabled account', async () => {
    const page = await signedInPage(bed, administrator, {
      viewport: desktopViewport,
      language: '/en',
    });
    await page.getByRole('link', { name: 'Users and roles' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Users and roles' }).waitFor();

    // Their own administrator role cannot go.
    const own = card(page, administrator);
    await own.getByRole('button', { name: /Edit/ }).click();
    await own.getByRole('checkbox', { name: 'Administrator' }).uncheck();
    await own.getByRole('checkbox', { name: 'Officer', exact: true }).check();
    await own.getByRole('button', { name: 'Save changes' }).click();
    await own.locator('[data-field-error="roles"]').waitFor();
    expect(await own.locator('[data-field-error="roles"]').innerText()).toContain(
      'You cannot remove your own administrator role',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await storedUser(administrator)).roles).toEqual(['administrator']);
    await own.getByRole('button', { name: 'Cancel' }).click();

    // Someone else makes 林晓 a department head while the page is open.
    const user = card(page, newcomer);
    await user.getByRole('button', { name: /Edit/ }).click();
    const token = await signIn(bed.cloud.url, administrator);
    const theirs = await fetch(`${usersApi()}/${newcomer}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: '林晓',
        roles: ['officer', 'department_head'],
        enabled: true,
        expectedVersion: 1,
      }),
    });
    expect(theirs.status).toBe(200);

    await user.getByRole('checkbox', { name: 'Account may sign in' }).uncheck();
    await user.getByRole('button', { name: 'Save changes' }).click();
    await user.locator('[data-conflict="user"]').waitFor();
    expect(await user.locator('[data-conflict="user"]').innerText()).toContain(
      'Someone changed this user before you saved',
    );
    await user.locator('[data-version]', { hasText: '2' }).waitFor();
    expect(await user.getByRole('checkbox', { name: 'Department head' }).isChecked()).toBe(true);
    expect((await storedUser(newcomer)).enabled).toBe(true);

    // Saved again on the version now shown: the account is disabled.
    await user.getByRole('checkbox', { name: 'Account may sign in' }).uncheck();
    await user.getByRole('button', { name: 'Save changes' }).click();
    await user.locator('[data-saved="user"]').waitFor();
    await user.locator('[data-enabled="false"]').waitFor();
    expect(await storedUser(newcomer)).toMatchObject({ enabled: false, version: 3 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();

    // The sign-in page no longer offers 林晓, and the token is refused.
    const signInPage = await openPage(bed.browser, desktopViewport);
    await signInPage.goto(`${bed.cloud.url}/en/office/sign-in`);
    await signInPage
      .getByRole('button', { name: /cq-gecheng\.officer/ })
      .first()
      .waitFor();
    expect(await signInPage.getByRole('button', { name: /cq-gecheng\.linxiao/ }).count()).toBe(0);
    await signInPage.context().close();
    const refused = await fetch(`${bed.cloud.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: newcomer }),
    });
    expect(refused.status).toBe(403);
  });
});
