import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopViewport, launchChromium, openPage } from '../support/browser.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, validTip } from '../support/tips.ts';

// Issue 16 in the console: the tip page shows the case result and the reward with its
// figures; one reward officer computes, another approves, the first cannot approve.
const webRoot = join(repositoryRoot, 'web/build');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
  for (const who of ['officer', 'reward_officer', 'reward_officer_2']) {
    tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
  }
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

async function command(tipId: string, body: Record<string, unknown>) {
  const tip = await (
    await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth('officer') })
  ).json();
  const reply = await postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: tip.revision, command: body },
    auth('officer'),
  );
  expect(reply.status).toBe(200);
}

/** A substantiated tip with a fine of 80,000 yuan recorded on it, made through the API. */
async function tipWithFine(): Promise<string> {
  const description = '奖励端到端：仓库安全出口被货物堵死，疏散通道不畅。';
  expect((await postJson(`${cloud.url}/api/tips`, validTip({ description }))).status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth('officer'),
  });
  const { tips } = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tipId = tips.find((tip) => description.startsWith(tip.excerpt))?.tipId;
  if (!tipId) throw new Error('the tip is not in the inbox');
  await command(tipId, { type: 'accept' });
  await command(tipId, { type: 'start_investigation' });
  await command(tipId, { type: 'record_finding', finding: 'substantiated', note: '属实' });
  await command(tipId, {
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
    documentNumber: '渝葛应急罚〔2026〕12号',
  });
  return tipId;
}

async function tipPage(tipId: string, who: string): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await page.context().addInitScript((idToken) => {
    sessionStorage.setItem(
      'qingling:session',
      JSON.stringify({ idToken, expiresAt: Date.now() + 3_600_000 }),
    );
  }, tokens[who]);
  await page.goto(`${cloud.url}/office/tips/view?id=${tipId}`);
  return page;
}

describe('reward officers on a tip page', () => {
  it('compute the reward, see its figures, and a second one approves it', async () => {
    const tipId = await tipWithFine();
    const first = await tipPage(tipId, 'reward_officer');
    const result = first.getByRole('region', { name: '查处结果与奖励' });
    await result.waitFor();
    // Not the tipster's own words: they may say who the tipster is.
    expect(await first.locator('[data-description-withheld]').innerText()).toContain(
      '举报原文不向奖励经办人显示',
    );
    expect(await first.locator('p.description').count()).toBe(0);
    await expect
      .poll(async () => result.textContent(), { timeout: 10_000 })
      .toContain('渝葛应急罚〔2026〕12号');
    await first.getByRole('button', { name: '核算奖励' }).click();
    await expect
      .poll(async () => result.textContent(), { timeout: 10_000 })
      .toContain('奖励金额：12,000 元');
    expect(await result.textContent()).toContain(
      '罚款 80,000 元 × 15% = 12,000 元，不低于 3,000 元，不高于 300,000 元',
    );

    // The one who computed it is not offered the approval, and the server refuses it
    // plainly should it be asked all the same (two people).
    expect(await first.getByRole('button', { name: '批准奖励' }).count()).toBe(0);
    const { revision } = await (
      await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth('reward_officer') })
    ).json();
    const refused = await postJson(
      `${cloud.url}/api/office/tips/${tipId}/reward/approve`,
      { idempotencyKey: randomUUID(), expectedRevision: revision },
      auth('reward_officer'),
    );
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.error)).toContain('核算奖励的人不能批准同一笔奖励');
    await first.close();

    const second = await tipPage(tipId, 'reward_officer_2');
    await second.getByRole('button', { name: '批准奖励' }).click();
    await second.getByRole('button', { name: '确认' }).click();
    await expect
      .poll(async () => second.locator('#tip-notice').textContent(), { timeout: 10_000 })
      .toBe('已批准奖励。');
    const approved = second.getByRole('region', { name: '查处结果与奖励' });
    await expect
      .poll(async () => approved.textContent(), { timeout: 10_000 })
      .toContain('批准：彭越');
    await second.close();
  });
});
