import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EmbeddedCloud, startEmbeddedCloud } from '#local/embedded-cloud.ts';
import { Api, createEnterprise, createMarkedHazard } from '../support/authorization-fixtures.ts';
import {
  accessibilityViolations,
  launchChromium,
  narrowestFactValue,
  openPage,
  phoneViewport,
} from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, temporaryDataDirectory } from '../support/embedded-cloud.ts';

// The public chain heads page in a real browser: it shows each day's root and names no
// hazard, and it checks an exported log's inclusion proof against the published root,
// in the browser, saying in plain words whether the log was altered.
const clock = new ManualClock('2026-11-22T15:50:00.000Z'); // 23:50 CST
const webRoot = join(repositoryRoot, 'web/build');
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let cloud: EmbeddedCloud;
let browser: Browser;
let folder: string;
let hazardId: string;
let exported: { hazardId: string; inclusion: { path: string[] }; events: unknown[] };

beforeAll(async () => {
  data = await temporaryDataDirectory();
  cloud = await startEmbeddedCloud({ dataDirectory: data.path, port: 0, webRoot, clock });
  browser = await launchChromium();
  folder = await mkdtemp(join(tmpdir(), 'qingling-chain-'));
  const api = new Api(cloud.url);
  const uscc = await createEnterprise(api, 'cq-gecheng', 'CHAINPAGE');
  hazardId = await createMarkedHazard(api, 'cq-gecheng', 'CHAINPAGE', { enterprise: uscc });
  // A second hazard, so that the proof has a sibling to alter.
  await createMarkedHazard(api, 'cq-gecheng', 'CHAINPAGE', { enterprise: uscc });
  await cloud.conductor.settled();
  // Past 24:00 CST: the heartbeat publishes 22 November.
  clock.set('2026-11-22T16:00:01.000Z');
  await vi.waitFor(
    async () => {
      const list = await (await fetch(`${cloud.url}/api/public/chain-heads`)).json();
      if (list.days[0]?.date !== '2026-11-22') throw new Error('not published yet');
    },
    { timeout: 10_000, interval: 100 },
  );
  const officer = new Api(cloud.url);
  exported = (
    await officer.must('GET', `/api/office/hazards/${hazardId}/log`, {
      as: { role: 'officer', jurisdiction: 'cq-gecheng' },
    })
  ).body;
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await data?.remove();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function fileOf(name: string, content: unknown): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, `${JSON.stringify(content, null, 2)}\n`);
  return path;
}

async function chainPage(path: string): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(`${cloud.url}${path}`);
  await page.getByRole('heading', { name: '2026-11-22' }).waitFor();
  return page;
}

describe('the public chain heads page', () => {
  it('shows the day’s root, names no hazard, and checks an exported log in the browser', async () => {
    const page = await chainPage('/chain/');
    const shown = (await page.locator('main, body').first().textContent()) ?? '';
    expect(shown).toContain('根哈希（默克尔树）');
    expect(shown).not.toContain(hazardId);
    expect(await accessibilityViolations(page)).toEqual([]);

    const input = page.getByLabel('选择导出的日志文件（JSON）');
    await input.setInputFiles(await fileOf('log.json', exported));
    await page
      .getByText(`日志完整，且第 ${exported.events.length} 条记录已计入 2026-11-22 公示的根哈希`)
      .waitFor();

    // The proof altered in the file: it no longer leads to the published root.
    const [first = '', ...rest] = exported.inclusion.path;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const altered = {
      ...exported,
      inclusion: {
        ...exported.inclusion,
        path: [`${first[0] === '0' ? '1' : '0'}${first.slice(1)}`, ...rest],
      },
    };
    await input.setInputFiles(await fileOf('altered.json', altered));
    await page.getByText('证明无法从日志的记录算到公示的根哈希：日志或证明被改动过。').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await input.setInputFiles(await fileOf('other.json', { hello: 'world' }));
    await page.getByText('无法读取该文件').waitFor();

    // A hazard recorded after the publication: no proof yet, which is normal (no ✗).
    const api = new Api(cloud.url);
    const uscc = await createEnterprise(api, 'cq-gecheng', 'CHAINLATE');
    const late = await createMarkedHazard(api, 'cq-gecheng', 'CHAINLATE', { enterprise: uscc });
    const lateLog = (
      await api.must('GET', `/api/office/hazards/${late}/log`, {
        as: { role: 'officer', jurisdiction: 'cq-gecheng' },
      })
    ).body;
    expect(lateLog.inclusion).toBeNull();
    await input.setInputFiles(await fileOf('late.json', lateLog));
    const pending = page.locator('.verdict[data-verdict="pending"]');
    await pending.getByText('下一次每日公示后重新导出日志，即可在此验证').waitFor();
    // Not said to be intact: the times are the log's own. Its first record's time is named.
    const notice = (await pending.textContent()) ?? '';
    expect(notice).toContain('尚无法验证');
    expect(notice).not.toContain('✗');
    expect(notice).not.toContain('日志完整');
    expect(notice).toMatch(/写于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 之后/);
    expect(await accessibilityViolations(page)).toEqual([]);
    // A log from before the publication with its proof taken away is still an alarm.
    await input.setInputFiles(await fileOf('stripped.json', { ...exported, inclusion: null }));
    await page.locator('.verdict[data-verdict="bad"]', { hasText: '其历史可能已被改写' }).waitFor();
    await page.context().close();
  });

  it('says the same in English', async () => {
    const page = await chainPage('/en/chain/');
    await page
      .getByLabel('Choose an exported log file (JSON)')
      .setInputFiles(await fileOf('log-en.json', exported));
    await page.getByText('The log is intact, and its event').waitFor();
    await page.context().close();
  });

  it('leaves every value room to read on a phone, in English (long labels)', async () => {
    const page = await openPage(browser, phoneViewport);
    await page.goto(`${cloud.url}/en/chain/`);
    await page.locator('dl > dd').first().waitFor();
    expect(await narrowestFactValue(page)).toBeGreaterThanOrEqual(0.5);
    await page.context().close();
  });
});
