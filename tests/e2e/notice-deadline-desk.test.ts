import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  launchChromium,
  openPage,
  phoneViewport,
} from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, validTip } from '../support/tips.ts';

// Issue 16 in the console: a reward whose notice deadline has passed is on the reward
// officer's desk first, with the day and an overdue mark in words; the tip page says so
// too. In Chinese, on a 360 px phone, with no axe violations.
const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-11-24T02:00:00.000Z'); // Tue 24 Nov 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({ webRoot, clock });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

async function command(tipId: string, token: string, body: Record<string, unknown>) {
  const auth = { authorization: `Bearer ${token}` };
  const tip = await (
    await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth })
  ).json();
  const reply = await postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: tip.revision, command: body },
    auth,
  );
  expect(reply.status).toBe(200);
}

/** A substantiated tip fined on Tue 24 Nov: its notice is due by 24:00 CST on 14 December. */
async function rewardDue(): Promise<string> {
  const token = await signIn(cloud.url, 'cq-gecheng.officer');
  const description = '告知期限端到端：仓库安全出口被货物堵死，疏散通道不畅。';
  expect((await postJson(`${cloud.url}/api/tips`, validTip({ description }))).status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { tips } = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tipId = tips.find((tip) => description.startsWith(tip.excerpt))?.tipId;
  if (!tipId) throw new Error('the tip is not in the inbox');
  await command(tipId, token, { type: 'accept' });
  await command(tipId, token, { type: 'start_investigation' });
  await command(tipId, token, { type: 'record_finding', finding: 'substantiated', note: '属实' });
  await command(tipId, token, {
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
    documentNumber: '渝葛应急罚〔2026〕12号',
  });
  return tipId;
}

async function pageAs(who: string, path: string): Promise<Page> {
  const token = await signIn(cloud.url, `cq-gecheng.${who}`);
  const page = await openPage(browser, phoneViewport);
  await page.context().addInitScript((idToken) => {
    sessionStorage.setItem(
      'qingling:session',
      JSON.stringify({ idToken, expiresAt: Date.now() + 3_600_000 }),
    );
  }, token);
  await page.goto(`${cloud.url}${path}`);
  return page;
}

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the notice deadline on the reward desk', () => {
  it('lists the overdue reward first with its day and the mark, and the tip page says it', async () => {
    const tipId = await rewardDue();
    clock.set('2026-12-15T02:00:00.000Z');
    cloud.tipConductor.tick();
    await cloud.tipConductor.settled();

    const desk = await pageAs('reward_officer', '/office');
    const item = desk.locator('#rewards-to-compute-cq-gecheng li').first();
    await item.waitFor();
    expect(await item.innerText()).toContain('告知期限：2026-12-14');
    expect(await item.locator('.overdue').innerText()).toBe('告知已逾期');
    expect(await item.locator('a').getAttribute('href')).toContain(tipId);
    expect(await overflow(desk)).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(desk)).toEqual([]);
    await desk.context().close();

    const tip = await pageAs('reward_officer', `/office/tips/view?id=${tipId}`);
    const notice = tip.locator('.notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('告知期限：2026-12-14');
    expect(await notice.locator('.overdue').innerText()).toBe('已逾期，尚未告知举报人');
    expect(await overflow(tip)).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(tip)).toEqual([]);
    await tip.context().close();
  }, 90_000);
});
