import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  desktopViewport,
  launchChromium,
  openPage,
} from '../support/browser.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { signInTab } from '../support/office-console.ts';
import { postJson } from '../support/tips.ts';

const webRoot = join(repositoryRoot, 'web/build');
const uscc = '91350100M000100Y43';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build -w web first');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

/** Every WCAG 2.1 A/AA violation axe finds on the page, which should be none. */
const axeClean = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

/** A fresh browser tab (sessions live per tab) signed in as a demo user (signInTab). */
async function officerPage(username = 'cq-gecheng.officer'): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await signInTab(page, cloud.url, username);
  await page.getByRole('heading', { name: '当前登录' }).waitFor();
  return page;
}

describe('the enterprise register (一企一档)', () => {
  it('registers an enterprise, refuses a wrong code and shows its hazards on its file', async () => {
    const page = await officerPage();
    await page.getByRole('link', { name: '企业名录' }).first().click();
    await page.getByRole('heading', { name: '企业名录', level: 1 }).waitFor();
    await page.getByText('本辖区尚未登记企业。').waitFor();
    await page.getByRole('button', { name: '登记企业' }).click();
    await page.getByLabel('企业名称').fill('东门商贸有限公司');
    await page.getByLabel('统一社会信用代码').fill('91350100M000100Y44');
    await page.getByLabel('地址').fill('东门路 18 号');
    await page.getByLabel('行业领域').selectOption('fire');
    await page.getByLabel('主要负责人姓名').fill('王某');
    await page.getByLabel('主要负责人手机号码').fill('13800138000');
    await page.getByLabel('实际控制人姓名').fill('赵某');
    await page.getByLabel('实际控制人手机号码').fill('13900139000');
    await page.getByRole('button', { name: '登记', exact: true }).click();

    // Checked in the browser with the API's own schema, in the API's words, by the field.
    await page
      .locator('#register-enterprise-uscc-error', { hasText: '统一社会信用代码校验位不正确。' })
      .waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      'register-enterprise-summary',
    );
    expect(await page.getByLabel('统一社会信用代码').getAttribute('aria-invalid')).toBe('true');
    await axeClean(page);
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const authorization = { authorization: `Bearer ${token}` };
    const listed = await fetch(`${cloud.url}/api/office/enterprises?jurisdiction=cq-gecheng`, {
      headers: authorization,
    });
    expect(((await listed.json()) as { enterprises: unknown[] }).enterprises).toEqual([]);

    await page.getByLabel('统一社会信用代码').fill(uscc);
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(
      /\/office\/enterprises\/view\?jurisdiction=cq-gecheng&uscc=91350100M000100Y43$/,
    );
    await page.getByRole('heading', { name: '东门商贸有限公司', level: 1 }).waitFor();
    await page.getByText('该企业没有隐患记录。').waitFor();

    // One hazard of the enterprise, recorded through the API, is on its file.
    const recorded = await postJson(
      `${cloud.url}/api/office/hazards`,
      {
        idempotencyKey: crypto.randomUUID(),
        jurisdiction: 'cq-gecheng',
        source: 'inspection',
        industry: 'fire',
        enterprise: uscc,
        place: '二号仓库',
        grade: 'general',
        description: '灭火器压力不足，需更换。',
      },
      authorization,
    );
    expect(recorded.status).toBe(201);
    await page.reload();
    const link = page.getByRole('link', { name: /灭火器压力不足/ });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(
      `/office/hazards/view?id=${recorded.body.hazard.hazardId}`,
    );
    expect(await page.getByText('王某 · 13800138000').count()).toBe(1);
    await axeClean(page);

    // Another jurisdiction registers the same enterprise on its own register: this file
    // stays this jurisdiction's, and its officer edits it here; the other's is unchanged.
    const otherOfficer = {
      authorization: `Bearer ${await signIn(cloud.url, 'fj-xiamen-xiangan.officer')}`,
    };
    const elsewhere = await postJson(
      `${cloud.url}/api/office/enterprises`,
      {
        uscc,
        name: '翔安东门仓储有限公司',
        address: '新店镇 6 号',
        industry: 'fire',
        jurisdiction: 'fj-xiamen-xiangan',
        principal: { name: '陈某', mobile: '13700137000' },
        controller: { name: '林某', mobile: '13700137001' },
        contacts: [],
      },
      otherOfficer,
    );
    expect(elsewhere.status).toBe(201);
    await page.getByRole('button', { name: '修改档案' }).click();
    await page.getByRole('heading', { name: '修改企业档案' }).waitFor();
    await page.getByLabel('主要负责人手机号码').fill('1360013600');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.locator('#edit-enterprise-principal-mobile-error').waitFor();
    await axeClean(page);
    await page.getByLabel('主要负责人手机号码').fill('13600136000');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText('已保存修改。').waitFor();
    await page.getByText('王某 · 13600136000').waitFor();
    await page.reload();
    await page.getByText('王某 · 13600136000').waitFor();
    expect(await page.getByText('翔安东门仓储有限公司').count()).toBe(0);
    await axeClean(page);
    const theirs = await fetch(
      `${cloud.url}/api/office/enterprises/${uscc}?jurisdiction=fj-xiamen-xiangan`,
      { headers: otherOfficer },
    );
    const their = (await theirs.json()) as { enterprise: { name: string; principal: unknown } };
    expect(their.enterprise.name).toBe('翔安东门仓储有限公司');
    expect(their.enterprise.principal).toEqual({ name: '陈某', mobile: '13700137000' });

    // The register lists it; registering it again says so and links to it.
    await page.getByRole('link', { name: '返回企业名录' }).click();
    await page.getByRole('link', { name: '东门商贸有限公司' }).waitFor();
    expect(await page.getByText(uscc).count()).toBe(1);
    await page.getByRole('button', { name: '登记企业' }).click();
    await page.getByLabel('企业名称').fill('东门商贸有限公司');
    await page.getByLabel('统一社会信用代码').fill(uscc);
    await page.getByLabel('地址').fill('东门路 18 号');
    await page.getByLabel('行业领域').selectOption('fire');
    await page.getByLabel('主要负责人姓名').fill('王某');
    await page.getByLabel('主要负责人手机号码').fill('13800138000');
    await page.getByLabel('实际控制人姓名').fill('赵某');
    await page.getByLabel('实际控制人手机号码').fill('13900139000');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText('该企业已在本辖区登记，不能重复登记。').waitFor();
    await page.getByRole('link', { name: '查看东门商贸有限公司的档案' }).waitFor();
    await axeClean(page);
    await page.context().close();
  });
});
