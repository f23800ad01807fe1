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
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';
import { signInTab } from '../support/office-console.ts';

// Issue 14, "Closure by the book", in Chromium, in Chinese and in English: the officer
// verifies a major hazard and is not offered its close; the department head signs it off.
const webRoot = join(repositoryRoot, 'web/build');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
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

const words = {
  zh: {
    prefix: '',
    verifyPass: '整改到位，核查通过',
    note: '说明',
    record: '记录核查结果',
    noOutcome: '核查结果：请选择。',
    verified: '已记录核查通过，可以销号。',
    awaited: '待科室负责人审核销号',
    department: '消防救援机构',
    verifiedBy: '核查人',
    closeNote: '销号说明',
    close: '销号…',
    confirmText: '确认销号：由 周强 签名销号',
    confirm: '确认',
    closed: '已销号。',
  },
  en: {
    prefix: '/en',
    verifyPass: 'The fix is done: passed',
    note: 'Note',
    record: 'Record the verification',
    noOutcome: 'Outcome: Please choose.',
    verified: 'Verification passed is recorded',
    awaited: 'Awaiting sign-off by the department head',
    department: 'Fire and rescue',
    verifiedBy: 'Verified by',
    closeNote: 'Closing note',
    close: 'Close…',
    confirmText: 'Confirm closing: 周强 signs this hazard off',
    confirm: 'Confirm',
    closed: 'The hazard is closed.',
  },
} as const;

/** A fresh tab (sessions live per tab) signed in as a demo user, in the language's pages. */
async function signedIn(username: string, prefix: string): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await signInTab(page, cloud.url, username, `${prefix}/office`);
  return page;
}

/** A major hazard whose enterprise has reported the fix done, through the API. */
async function awaitingVerification(place: string): Promise<string> {
  const token = await signIn(cloud.url, 'cq-gecheng.officer');
  const recorded = await recordHazard(cloud.url, token, place, 'major');
  expect(recorded.status).toBe(201);
  const hazard = { id: recorded.body.hazard.hazardId as string, revision: recorded.body.revision };
  for (const command of [
    {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理安全出口',
      deadline: { workingDays: 10 },
      plan: {
        goalAndTasks: '清理安全出口，恢复疏散通道',
        methodsAndMeasures: '搬离货物，设置禁停标识',
        fundsAndMaterials: '企业自筹五千元',
        responsibleBodyAndPeople: '企业负责人王某',
        deadlineAndRequirements: '十个工作日内完成',
        safetyAndEmergencyMeasures: '整改期间设专人值守',
      },
    },
    { type: 'submit_evidence', note: '货物已搬离，出口畅通。', photoKeys: [] },
  ]) {
    const reply = await giveHazardCommand(cloud.url, token, hazard, command);
    expect(reply.status).toBe(200);
    hazard.revision = reply.body.revision;
  }
  return hazard.id;
}

const notice = (page: Page, text: string) =>
  page.locator('#hazard-notice', { hasText: text }).waitFor();

describe('closing a major hazard in the office console', () => {
  for (const language of ['zh', 'en'] as const) {
    it(`takes a second person, the department head (${language})`, async () => {
      const say = words[language];
      const hazardId = await awaitingVerification(`${language} 号仓库`);
      const address = `${cloud.url}${say.prefix}/office/hazards/view?id=${hazardId}`;

      // The officer verifies, and is then shown who is to sign off, with no close to give.
      const officer = await signedIn('cq-gecheng.officer', say.prefix);
      await officer.goto(address);
      // No outcome chosen: the summary names the field, in its words alone (no schema line).
      await officer.getByRole('button', { name: say.record }).click();
      const summary = officer.locator('#verify-summary');
      await summary.getByText(say.noOutcome).waitFor();
      expect(await summary.locator('p').allInnerTexts()).toHaveLength(1);
      await officer.getByLabel(say.verifyPass).check();
      await officer.getByLabel(say.note, { exact: true }).fill('现场核查，安全出口畅通。');
      await officer.getByRole('button', { name: say.record }).click();
      await notice(officer, say.verified);
      await officer.getByText(say.awaited).waitFor();
      expect(await officer.getByText(say.department).count()).toBe(1);
      expect(await officer.getByText(say.verifiedBy, { exact: true }).count()).toBe(1);
      expect(await officer.getByRole('button', { name: say.close }).count()).toBe(0);
      expect(await officer.getByLabel(say.closeNote).count()).toBe(0);
      await axeClean(officer);
      await officer.context().close();

      // The department head signs it off.
      const head = await signedIn('cq-gecheng.department_head', say.prefix);
      await head.goto(address);
      await head.getByText(say.awaited).waitFor();
      // Nothing written: the summary names the field as its label does (not "说明").
      await head.getByRole('button', { name: say.close }).click();
      await head.locator('#close-summary li').first().waitFor();
      expect(await head.locator('#close-summary li').first().innerText()).toMatch(
        new RegExp(`^${say.closeNote}[：:]`),
      );
      await head.getByLabel(say.closeNote).fill('整改到位，同意销号。');
      await head.getByRole('button', { name: say.close }).click();
      await head.getByText(say.confirmText).waitFor();
      await axeClean(head);
      await head.getByRole('button', { name: say.confirm, exact: true }).click();
      await notice(head, say.closed);
      expect(await head.getByText(say.awaited).count()).toBe(0);
      await axeClean(head);
      await head.context().close();

      const token = await signIn(cloud.url, 'cq-gecheng.officer');
      const page = await fetch(`${cloud.url}/api/office/hazards/${hazardId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await page.json();
      expect(body.hazard.status).toBe('closed');
      expect(
        body.timeline.find((entry: { type: string }) => entry.type === 'hazard_closed'),
      ).toMatchObject({ actor: { id: 'demo:cq-gecheng.department_head' } });
    });
  }

  it('lets the officer reopen a closed hazard with a reason and a new deadline', async () => {
    const hazardId = await awaitingVerification('重开号仓库');
    const hazard = { id: hazardId, revision: 0 };
    const officerToken = await signIn(cloud.url, 'cq-gecheng.officer');
    const headToken = await signIn(cloud.url, 'cq-gecheng.department_head');
    for (const [token, command] of [
      [officerToken, { type: 'pass_verification', note: '现场核查通过', onSite: true }],
      [headToken, { type: 'close', note: '同意销号' }],
    ] as const) {
      const read = await fetch(`${cloud.url}/api/office/hazards/${hazardId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      hazard.revision = (await read.json()).revision;
      expect((await giveHazardCommand(cloud.url, token, hazard, command)).status).toBe(200);
    }

    const officer = await signedIn('cq-gecheng.officer', '');
    await officer.goto(`${cloud.url}/office/hazards/view?id=${hazardId}`);
    const form = officer.locator('section.command-form', {
      has: officer.getByRole('heading', { name: '重新打开' }),
    });
    // Nothing typed: the reason and the deadline are both named, the deadline in its own words.
    await form.getByRole('button', { name: '重新打开' }).click();
    const summary = officer.locator('#reopen-summary');
    await summary.getByText('请选择截止日期。').waitFor();
    expect(await summary.getByRole('link').count()).toBe(2);
    await axeClean(officer);
    await form.getByLabel('理由').fill('回头看发现通道再次被堵');
    await form.getByLabel('若干个工作日').check();
    await form.getByLabel('工作日数').fill('5');
    await form.getByRole('button', { name: '重新打开' }).click();
    await notice(officer, '已重新打开，新一轮整改开始。');
    await axeClean(officer);
    await officer.context().close();
  });
});

describe('an extension of a deadline', () => {
  it('the officer asks for one and the department head refuses it, with a reason', async () => {
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const recorded = await recordHazard(cloud.url, token, '延期号仓库', 'general');
    expect(recorded.status).toBe(201);
    const hazard = {
      id: recorded.body.hazard.hazardId as string,
      revision: recorded.body.revision,
    };
    const started = await giveHazardCommand(cloud.url, token, hazard, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '更换灭火器',
      deadline: { workingDays: 5 },
    });
    expect(started.status).toBe(200);
    const address = `${cloud.url}/office/hazards/view?id=${hazard.id}`;

    const officer = await signedIn('cq-gecheng.officer', '');
    await officer.goto(address);
    const request = officer.locator('section.command-form', {
      has: officer.getByRole('heading', { name: '申请延期' }),
    });
    await request.getByLabel('截止日期').fill('2099-01-31');
    await request.getByRole('button', { name: '申请延期' }).click();
    // No reason: refused in the browser, the reason named in the summary.
    await officer.locator('#request-extension-summary').getByRole('link').first().waitFor();
    expect(await request.getByLabel('理由').getAttribute('aria-invalid')).toBe('true');
    await request.getByLabel('理由').fill('灭火器供货延迟');
    await request.getByRole('button', { name: '申请延期' }).click();
    await notice(officer, '已申请延期，等待科室负责人审批。');
    await axeClean(officer);
    await officer.context().close();

    const head = await signedIn('cq-gecheng.department_head', '');
    await head.goto(address);
    await head.getByText('待审批的延期申请').waitFor();
    const refuse = head.locator('section.command-form', {
      has: head.getByRole('heading', { name: '不予延期' }),
    });
    await refuse.getByLabel('理由').fill('可先行借用灭火器');
    await refuse.getByRole('button', { name: '不予延期' }).click();
    await notice(head, '已不予延期。');
    await axeClean(head);
    await head.context().close();
  });
});
