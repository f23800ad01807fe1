import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { desktopViewport } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn } from '../support/embedded-cloud.ts';
import { consoleTestbed, signedInPage } from '../support/office-console.ts';
import { postJson, validTip } from '../support/tips.ts';

// A tip command answers with the tip but without its photos' read URLs (only reading the tip
// signs them): the page must keep those it has, not show 照片暂时无法显示 after each decision.
// The example tip was seen on a set day: the clock stands after it.
const bed = consoleTestbed(new ManualClock(new Date('2026-11-23T02:00:00Z')));

describe("a tip's photo on the officer's page", () => {
  it('is still shown after accepting, investigating and recording a finding', async () => {
    const description = '仓库后门的安全出口被纸箱堵死，照片为证。';
    const created = await postJson(
      `${bed.cloud.url}/api/tips`,
      validTip({ photoCount: 1, description }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const upload = created.body.photoUploads[0];
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value as string);
    const photo = await sharp({
      create: { width: 320, height: 240, channels: 3, background: '#c33' },
    })
      .jpeg()
      .toBuffer();
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
    expect((await fetch(upload.url, { method: 'POST', body: form })).status).toBe(201);
    const inbox = await fetch(`${bed.cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
      headers: { authorization: `Bearer ${await signIn(bed.cloud.url, 'cq-gecheng.officer')}` },
    });
    const { tips } = (await inbox.json()) as { tips: { tipId: string }[] };
    const tipId = tips[0]?.tipId;

    const page = await signedInPage(bed, 'cq-gecheng.officer', { viewport: desktopViewport });
    await page.goto(`${bed.cloud.url}/office/tips/view?id=${tipId}`);
    const thumbnail = page.getByRole('list', { name: '举报人的照片' }).locator('img');
    await thumbnail.waitFor();
    const steps = [
      ['受理这条举报', '已受理。', async () => {}],
      ['开始核查', '已开始核查。', async () => {}],
      [
        '记录核查结果',
        '核查结果已记录，请在 10 天内答复举报人。',
        async () => {
          await page.getByLabel('不属实').check();
          await page.getByLabel('核查情况').fill('现场核查，后门畅通。');
        },
      ],
    ] as const;
    for (const [button, notice, fill] of steps) {
      await fill();
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.getByText(notice, { exact: true }).waitFor();
      expect(await page.getByText('照片暂时无法显示').count(), button).toBe(0);
      expect(await thumbnail.count(), button).toBe(1);
    }
    await page.close();
  });
});
