import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
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
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand } from '../support/hazards.ts';
import { signInTab } from '../support/office-console.ts';

// Issue 14's first must-show, as one journey in Chromium: an officer on a 360 px phone
// records a major hazard at a shop without a credit code with two photos (zh); the shop's
// person in charge gets the enterprise link by SMS in the outbox; the shop is late, and the
// leader's summons names it and the days overdue; the shop opens the texted link on its
// phone and sends two fix photos (zh); the officer verifies with a photo at a desk (en) and
// cannot sign off alone; the department head signs off (en). axe-core clean throughout.

const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
let photoDirectory: string;
let photos: string[];
const marker = `J${Date.now().toString(36)}`;
const shop = `${marker}便利店`;

beforeAll(async () => {
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error('web/build is missing: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot, clock });
  browser = await launchChromium();
  photoDirectory = await mkdtemp(join(tmpdir(), 'qingling-journey-'));
  photos = ['found-1.jpg', 'found-2.jpg', 'fixed-1.jpg', 'fixed-2.jpg', 'checked.jpg'].map((name) =>
    join(photoDirectory, name),
  );
  const colours = ['#c33', '#36c', '#3a6', '#6a3', '#999'];
  await Promise.all(
    photos.map((path, index) =>
      sharp({
        create: { width: 800, height: 600, channels: 3, background: colours[index] ?? '#000' },
      })
        .jpeg({ quality: 80 })
        .toFile(path),
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

/** A fresh tab (sessions live per tab) signed in as a demo user, in the language's pages. */
async function signedIn(
  username: string,
  prefix: '' | '/en',
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await openPage(browser, viewport);
  await signInTab(page, cloud.url, username, `${prefix}/office`);
  return page;
}

/** Moves the clock, wakes the lifecycles and waits until they are idle again. */
async function advanceTo(instant: string) {
  clock.set(instant);
  cloud.conductor.tick();
  await cloud.conductor.settled();
}

async function revisionOf(hazardId: string, token: string): Promise<number> {
  const response = await fetch(`${cloud.url}/api/office/hazards/${hazardId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()).revision;
}

describe('a hazard at a shop, from its finding to its sign-off', () => {
  it('reaches the shop by SMS, escalates to a leader, and closes by two people', async () => {
    // 1. The officer, on a 360 px phone in Chinese, records it with two photos.
    const phone = await signedIn('cq-gecheng.officer', '', phoneViewport);
    await phone.goto(`${cloud.url}/office/hazards`);
    await phone.getByRole('button', { name: '登记隐患' }).click();
    await phone.getByLabel('检查发现').check();
    await phone.getByLabel('行业领域').selectOption('fire');
    await phone.getByLabel('重大隐患').check();
    await phone.getByLabel('判定标准').selectOption({ index: 1 });
    await phone.getByLabel('条款').fill('5.1.1');
    await phone.getByLabel('无信用代码的场所').check();
    await phone.getByLabel('场所名称').fill(shop);
    await phone.getByLabel('场所类型').selectOption('shop');
    await phone.getByLabel('场所地址').fill('格城区南街 7 号');
    await phone.getByLabel('场所负责人').fill('王某');
    await phone.getByLabel('负责人电话').fill('138 0013 8000');
    await phone.getByLabel('位置', { exact: true }).fill('店内后门');
    await phone.getByLabel('隐患描述').fill('后门被纸箱堵死，店内唯一的疏散出口无法使用。');
    await phone.locator('#record-hazard-photos').setInputFiles(photos.slice(0, 2));
    await phone.getByText('照片 2').first().waitFor();
    await noHorizontalScroll(phone);
    await axeClean(phone);
    await phone.getByRole('button', { name: '登记', exact: true }).click();
    await phone.waitForURL(/\/office\/hazards\/view\?id=[a-z2-7]{26}$/);
    const hazardId = new URL(phone.url()).searchParams.get('id') as string;
    await phone
      .getByRole('button', { name: /第 \d 张，共 2 张/ })
      .nth(1)
      .waitFor();

    // Its rectification starts with a plan (a major hazard needs one), due Thursday.
    const officerToken = await signIn(cloud.url, 'cq-gecheng.officer');
    const started = await giveHazardCommand(
      cloud.url,
      officerToken,
      { id: hazardId, revision: await revisionOf(hazardId, officerToken) },
      {
        type: 'start_rectification',
        responsible: '王某',
        measures: '清除纸箱，恢复后门疏散通道',
        deadline: { date: '2026-12-10' },
        plan: {
          goalAndTasks: '清除后门杂物，恢复疏散出口',
          methodsAndMeasures: '搬离纸箱，张贴禁止堆放标识',
          fundsAndMaterials: '店主自筹',
          responsibleBodyAndPeople: '店主王某',
          deadlineAndRequirements: '十二月十日前完成',
          safetyAndEmergencyMeasures: '整改期间前门保持畅通',
        },
      },
    );
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await cloud.conductor.settled();

    // 2. The person in charge's phone gets the link, once, in a message that says what it is.
    const outbox = await cloud.outbox.list();
    const texted = outbox.filter((entry) => entry.key.startsWith(`${hazardId}#1#enterprise_link`));
    expect(texted).toHaveLength(1);
    const [sms] = texted;
    expect(sms?.contacts).toEqual([{ kind: 'sms', phone: '13800138000' }]);
    expect(sms?.body.zh).toContain(shop);
    expect(sms?.body.zh).toContain('2026-12-10');
    const link = sms?.body.zh.match(/(https?:\/\/\S+\/enterprise\/#\S+)$/)?.[1];
    expect(link?.startsWith(`${cloud.url}/enterprise/#`)).toBe(true);
    // The reminder (due at once: the deadline is two days off) carries a link signed afresh.
    const reminder = outbox.find(
      (entry) => entry.key === `${hazardId}#1#reminder#enterprise_principal`,
    );
    expect(reminder?.contacts).toEqual([{ kind: 'sms', phone: '13800138000' }]);
    expect(reminder?.body.zh).toMatch(/提交整改情况：https?:\/\/\S+\/enterprise\/#\S+/);
    // The officer's page says the link went.
    await phone.reload();
    await phone.getByText(/链接已于.*通过短信发送给场所负责人/).waitFor();
    await noHorizontalScroll(phone);
    await axeClean(phone);
    await phone.context().close();

    // 3. The shop is late: past the notice letter and the circular, to the leader's summons.
    await advanceTo('2026-12-11T01:06:00.000Z');
    await advanceTo('2026-12-18T01:06:00.000Z');
    // The summons is urgent: at 24:00 CST fourteen days after the deadline's day, not in
    // office hours; on the 25th (CST) the shop is 15 days past the 10th.
    await advanceTo('2026-12-24T16:06:00.000Z');
    const summons = (await cloud.outbox.list()).find(
      (entry) => entry.key === `${hazardId}#1#summons#leader_in_charge`,
    );
    expect(summons?.subject.zh).toBe(`约谈：${shop}（店内后门）隐患整改逾期 15 天`);
    expect(summons?.body.zh).toContain('已逾期 15 天');
    expect(summons?.body.en).toContain('15 day(s) overdue');

    // 4. The shop opens the texted link on its phone and sends two photos of its fix (zh).
    const shopPhone = await openPage(browser, phoneViewport);
    await shopPhone.goto(link as string);
    await shopPhone.getByLabel('整改完成', { exact: true }).check();
    // Nothing written: the summary names the field as its label does (not "说明").
    await shopPhone.getByRole('button', { name: '提交', exact: true }).click();
    await shopPhone.locator('#update-summary li').first().waitFor();
    expect(await shopPhone.locator('#update-summary li').allInnerTexts()).toEqual([
      '整改完成情况：至少需要 2 个字。',
    ]);
    await shopPhone.getByLabel('整改完成情况').fill('纸箱已全部清走，后门畅通。');
    await shopPhone.locator('#update-photos').setInputFiles(photos.slice(2, 4));
    await axeClean(shopPhone);
    await shopPhone.getByRole('button', { name: '提交', exact: true }).click();
    await shopPhone.getByText('整改完成情况已提交，请等待监管部门核查。').waitFor();
    await shopPhone.getByRole('button', { name: /第 2 张，共 2 张/ }).waitFor();
    await noHorizontalScroll(shopPhone);
    await axeClean(shopPhone);
    await shopPhone.context().close();

    // 5. The officer verifies with a photo at a desk (en), and is offered no close.
    const address = `${cloud.url}/en/office/hazards/view?id=${hazardId}`;
    const desk = await signedIn('cq-gecheng.officer', '/en', desktopViewport);
    await desk.goto(address);
    await desk.getByLabel('The fix is done: passed').check();
    await desk.getByLabel('Note', { exact: true }).fill('Checked on site: the back door is clear.');
    await desk.locator('#verify-photos').setInputFiles(photos[4] as string);
    await desk.getByText('Photo 1').first().waitFor();
    await axeClean(desk);
    await desk.getByRole('button', { name: 'Record the verification' }).click();
    await desk.getByText('Verification passed is recorded').first().waitFor();
    await desk.getByText('Awaiting sign-off by the department head').waitFor();
    expect(await desk.getByRole('button', { name: 'Close…' }).count()).toBe(0);
    await axeClean(desk);
    await desk.context().close();

    // 6. The same officer trying to sign off alone is refused, in both languages.
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const alone = await giveHazardCommand(
      cloud.url,
      token,
      { id: hazardId, revision: await revisionOf(hazardId, token) },
      { type: 'close', note: '我自己销号' },
    );
    expect(alone.status).toBe(422);
    expect(JSON.stringify(alone.body)).toContain('核查人以外');
    expect(JSON.stringify(alone.body)).toContain('someone other than its verifier');

    // 7. The department head signs it off (en).
    const head = await signedIn('cq-gecheng.department_head', '/en', desktopViewport);
    await head.goto(address);
    await head.getByText('Awaiting sign-off by the department head').waitFor();
    await head.getByLabel('Closing note').fill('Fixed and verified: signed off.');
    await head.getByRole('button', { name: 'Close…' }).click();
    await head.getByText('Confirm closing: 周强 signs this hazard off').waitFor();
    await axeClean(head);
    await head.getByRole('button', { name: 'Confirm', exact: true }).click();
    await head.locator('#hazard-notice', { hasText: 'The hazard is closed.' }).waitFor();
    await axeClean(head);
    await head.context().close();

    const closed = await fetch(`${cloud.url}/api/office/hazards/${hazardId}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json());
    expect(closed.hazard.status).toBe('closed');
    expect(
      closed.timeline.find((entry: { type: string }) => entry.type === 'hazard_closed'),
    ).toMatchObject({ actor: { id: 'demo:cq-gecheng.department_head' } });
  });
});
