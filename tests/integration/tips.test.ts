import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { canonicalJson } from '@qingling/shared/event-log/canonical-json.ts';
import { contentDigest, tipContentDigest, tipIdFor } from '@qingling/shared/tips/keys.ts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#functions/dependencies.ts';
import { processPhoto } from '#functions/events/process-photo.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let officerToken: string;
// Time stands still unless a test moves it: the guessing budget counts per minute.
const clock = new ManualClock('2026-11-22T08:00:00.000Z');
beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 100_000, clock });
  officerToken = await signIn(cloud.url, 'cq-gecheng.officer');
});
afterAll(async () => {
  await cloud.stop();
  await cloud.removeData();
});

// Each tip a second after the last: the inbox (newest first) shows the latest one on top.
const createTip = (body: unknown) => {
  clock.advance(1000);
  return postJson(`${cloud.url}/api/tips`, body);
};
const inbox = async (jurisdiction = 'cq-gecheng', token = officerToken) => {
  const tips: { tipId: string }[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ jurisdiction, ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${cloud.url}/api/office/tips?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await response.json()) as { tips: { tipId: string }[]; nextCursor?: string };
    tips.push(...page.tips);
    cursor = page.nextCursor;
  } while (cursor);
  return tips;
};

describe('tip intake', () => {
  it('stores one tip for five retries of the same submission, with the same receipt', async () => {
    const before = (await inbox()).length;
    const tip = validTip({ photoCount: 2 });
    const replies = [];
    for (let attempt = 0; attempt < 5; attempt += 1) replies.push(await createTip(tip));
    expect(replies.map((reply) => reply.status)).toEqual([201, 200, 200, 200, 200]);
    expect(new Set(replies.map((reply) => reply.body.receipt)).size).toBe(1);
    expect(replies[4]?.body.duplicate).toBe(true);
    expect(replies[4]?.body.photoUploads).toHaveLength(2);
    expect((await inbox()).length).toBe(before + 1);
  });

  it('stores 200 tips for 200 concurrent different submissions', async () => {
    const before = (
      await inbox('fj-xiamen-xiangan', await signIn(cloud.url, 'fj-xiamen-xiangan.officer'))
    ).length;
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => createTip(validTip({ jurisdiction: 'fj-xiamen-xiangan' }))),
    );
    expect(replies.filter((reply) => reply.status === 201)).toHaveLength(200);
    expect(new Set(replies.map((reply) => reply.body.receipt)).size).toBe(200);
    const token = await signIn(cloud.url, 'fj-xiamen-xiangan.officer');
    expect((await inbox('fj-xiamen-xiangan', token)).length).toBe(before + 200);
  });

  it('takes a village or community of the jurisdiction, and says which field was wrong', async () => {
    expect((await createTip(validTip({ unit: '东门社区' }))).status).toBe(201);
    const wrong = await createTip(validTip({ unit: 'x' }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['unit']);
  });

  it('refuses the same key with different content, and stores nothing new', async () => {
    const tip = validTip();
    expect((await createTip(tip)).status).toBe(201);
    const before = (await inbox()).length;
    const changed = await createTip({ ...tip, description: '完全不同的另一件事情，也很危险。' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.message.zh).toContain('请求编号');
    expect((await inbox()).length).toBe(before);
  });
});

describe('bad input', () => {
  const corpus: [string, unknown][] = [
    ['malformed JSON', '{"jurisdiction": "cq-gecheng", '],
    ['not an object', '[]'],
    ['missing fields', { idempotencyKey: crypto.randomUUID() }],
    ['unknown jurisdiction', validTip({ jurisdiction: 'nowhere' })],
    ['unknown industry', validTip({ industry: 'space_mining' })],
    ['unit of no jurisdiction', validTip({ unit: '../../etc' })],
    ['unit of another jurisdiction', validTip({ unit: '福田村' })],
    ['oversized description', validTip({ description: '隐'.repeat(2001) })],
    ['description too short', validTip({ description: '有隐患' })],
    ['broken Unicode', validTip({ description: `安全出口被堵住了${'\uD800'}很危险的情况` })],
    ['control characters', validTip({ address: 'a\u0007b 地址' })],
    ['wrong type', validTip({ isEmployee: 'yes' })],
    ['too many photos', validTip({ photoCount: 7 })],
    ['future date', validTip({ seenOn: '2099-01-01' })],
    ['not a date', validTip({ seenOn: '20 Nov' })],
    ['reward without phone', validTip({ wantsReward: true })],
    ['bad phone', validTip({ wantsReward: true, contactPhone: '12345' })],
    ['unknown field', validTip({ ip: '1.2.3.4' })],
    ['key not a UUID', validTip({ idempotencyKey: 'x' })],
    ['location datum', validTip({ location: { latitude: 1, longitude: 2, datum: 'GCJ02' } })],
  ];

  it.each(corpus)(
    '%s: a 4xx with a message in both languages, and nothing stored',
    async (_name, body) => {
      const before = (await inbox()).length;
      const reply = await createTip(body);
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.body.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(reply.body.error.message.en).toMatch(/[a-z]/i);
      for (const issue of reply.body.error.issues ?? []) {
        expect(issue.message.zh).toMatch(/[\u4e00-\u9fff]/);
      }
      expect((await inbox()).length).toBe(before);
    },
  );

  it.each([
    ['text/plain;charset=UTF-8'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    [null],
  ])(
    'sent as %s (what another site can post without a preflight): 415, nothing stored',
    async (type) => {
      const before = (await inbox()).length;
      const response = await fetch(`${cloud.url}/api/tips`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: new Blob([JSON.stringify(validTip())]),
      });
      const reply = (await response.json()) as ReplyBody;
      expect(response.status).toBe(415);
      expect(reply.error).toMatchObject({
        code: 'json_required',
        message: { zh: expect.stringContaining('JSON'), en: expect.stringContaining('JSON') },
      });
      expect((await inbox()).length).toBe(before);
    },
  );

  it('keeps script text as text, to be shown inert', async () => {
    const script = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const reply = await createTip(
      validTip({ description: `${script} 出口被堵。`, address: script }),
    );
    expect(reply.status).toBe(201);
    const lookup = await postJson(`${cloud.url}/api/tips/lookup`, { receipt: reply.body.receipt });
    expect(lookup.body.description).toBe(`${script} 出口被堵。`);
  });
});

describe('following a tip up', () => {
  it('finds the tip by receipt typed with spaces and full-width digits', async () => {
    const { body } = await createTip(validTip());
    const typed = body.receipt
      .replace(/(\d{6})(?=\d)/g, '$1 ')
      .replace(/\d/g, (digit: string) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));
    const lookup = await postJson(`${cloud.url}/api/tips/lookup`, { receipt: typed });
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ status: 'received', jurisdiction: { zh: '葛城街道' } });
  });

  it('carries questions and answers between officer and tipster, anonymously', async () => {
    const { body } = await createTip(validTip());
    const tipId = (await inbox())[0]?.tipId;
    const headers = { authorization: `Bearer ${officerToken}` };
    const question = await postJson(
      `${cloud.url}/api/office/tips/${tipId}/questions`,
      { idempotencyKey: crypto.randomUUID(), text: '请问是哪一个出口？' },
      headers,
    );
    expect(question.status).toBe(201);
    const answer = await postJson(`${cloud.url}/api/tips/messages`, {
      receipt: body.receipt,
      idempotencyKey: crypto.randomUUID(),
      text: '北门，晚上最严重。',
      inReplyTo: question.body.messageId,
    });
    expect(answer.status).toBe(201);
    const lookup = await postJson(`${cloud.url}/api/tips/lookup`, { receipt: body.receipt });
    expect(lookup.body.messages.map((message: { text: string }) => message.text)).toEqual([
      '请问是哪一个出口？',
      '北门，晚上最严重。',
    ]);
    expect(JSON.stringify(lookup.body)).not.toContain('demo:'); // no officer identity
    expect(lookup.body.openQuestions).toBe(0);
  });

  it('answers a wrong receipt like an unknown one, and bounds guessing', async () => {
    const { body } = await createTip(validTip());
    const wrong = async (index: number) => {
      const digits = String(1_000_000_000_000_000 + index).slice(0, 16);
      // A well-formed receipt (valid check digits) that belongs to no tip.
      const { receiptFromDigits } = await import('@qingling/shared/tips/receipt.ts');
      return postJson(`${cloud.url}/api/tips/lookup`, { receipt: receiptFromDigits(digits) });
    };
    // A fresh minute of the budget, 17.25 s in.
    clock.set('2026-11-22T08:05:17.250Z');
    const first = await wrong(1);
    expect(first.status).toBe(404);
    const statuses = [];
    for (let index = 2; index <= 40; index += 1) statuses.push((await wrong(index)).status);
    expect(statuses, statuses.join()).toContain(429);
    // Past the budget a correct receipt is refused like a wrong one (it tells them apart
    // only with a solved puzzle: receipt-guessing.test.ts), and opens its tip next minute.
    expect((await postJson(`${cloud.url}/api/tips/lookup`, { receipt: body.receipt })).status).toBe(
      429,
    );
    clock.set('2026-11-22T08:06:00.000Z');
    expect((await postJson(`${cloud.url}/api/tips/lookup`, { receipt: body.receipt })).status).toBe(
      200,
    );
  });

  it('says when to retry past the guessing budget: at the next minute, and then it works', async () => {
    const { receiptFromDigits } = await import('@qingling/shared/tips/receipt.ts');
    const wrong = (index: number) =>
      fetch(`${cloud.url}/api/tips/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          receipt: receiptFromDigits(String(2_000_000_000_000_000 + index).slice(0, 16)),
        }),
      });
    clock.set('2026-11-22T09:10:42.300Z');
    let refused: Response | undefined;
    for (let index = 0; index < 40 && !refused; index += 1) {
      const reply = await wrong(index);
      if (reply.status === 429) refused = reply;
      else expect(reply.status).toBe(404);
    }
    if (!refused) throw new Error('40 wrong receipts in a minute were never refused');
    const retryAfter = refused.headers.get('retry-after') ?? '';
    expect(retryAfter).toMatch(/^\d+$/);
    // 17.7 s are left of 09:10: whole seconds, rounded up, within the minute's window.
    expect(Number(retryAfter)).toBe(18);
    expect((await refused.json()).error.code).toBe('too_many_attempts');
    clock.advance(Number(retryAfter) * 1000);
    expect((await wrong(100)).status).toBe(404);
  });
});

describe('photos', () => {
  it('are stored without any metadata, GPS kept on the log only when location was shared', async () => {
    const withExif = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#c33' },
    })
      .jpeg()
      .withExif({ IFD0: { Make: 'SecretPhone', Model: 'Tipster-X', Artist: '张三' } })
      .toBuffer();
    const { body } = await createTip(
      validTip({ photoCount: 1, location: { latitude: 31.95, longitude: 108.66, datum: 'WGS84' } }),
    );
    const upload = body.photoUploads[0];
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value as string);
    form.append('file', new Blob([withExif], { type: 'image/jpeg' }), 'photo.jpg');
    expect((await fetch(upload.url, { method: 'POST', body: form })).status).toBe(201);

    const tipId = (await inbox())[0]?.tipId;
    const tip = await (
      await fetch(`${cloud.url}/api/office/tips/${tipId}`, {
        headers: { authorization: `Bearer ${officerToken}` },
      })
    ).json();
    // Named by content: a later upload to the slot could never overwrite it.
    expect(tip.photoKeys).toEqual([
      expect.stringMatching(new RegExp(`^tips/${tipId}/p1-[0-9a-f]{16}\\.jpg$`)),
    ]);
    const stored = await cloud.blobStore.get(tip.photoKeys[0]);
    const metadata = await sharp(stored?.bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(Buffer.from(stored?.bytes ?? []).includes('SecretPhone')).toBe(false);
    expect(await cloud.blobStore.get(`incoming/tips/${tipId}/p1`)).toBeNull();
    // Its thumbnail, for the officer's list: as clean, and what the tip's answer links.
    const thumbnailKey = tip.photoKeys[0].replace(/\.jpg$/, '-thumb.jpg');
    const thumbnail = await cloud.blobStore.get(thumbnailKey);
    const thumbnailMetadata = await sharp(thumbnail?.bytes).metadata();
    expect([thumbnailMetadata.width, thumbnailMetadata.height, thumbnailMetadata.exif]).toEqual([
      192,
      192,
      undefined,
    ]);
    expect(new URL(tip.thumbnailUrls[tip.photoKeys[0]]).searchParams.get('key')).toBe(thumbnailKey);
  });

  it('refuses an upload to a slot the tip never opened', async () => {
    const { body } = await createTip(validTip({ photoCount: 1 }));
    const form = await cloud.blobStore.createUploadForm({
      key: `incoming/tips/${'a'.repeat(26)}/p9`,
      contentTypes: ['image/jpeg'],
      maxBytes: 1_000_000,
      expiresInSeconds: 60,
    });
    const data = new FormData();
    for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
    data.append('file', new Blob([new Uint8Array(100)], { type: 'image/jpeg' }), 'x.jpg');
    await fetch(form.url, { method: 'POST', body: data });
    expect(await cloud.blobStore.get(`incoming/tips/${'a'.repeat(26)}/p9`)).toBeNull();
    expect(body.receipt).toBeTruthy();
  });
});

describe('photos decoded on arrival, none lost, forms single-use', () => {
  const uploadWith = async (
    upload: { url: string; fields: Record<string, string> },
    bytes: Uint8Array,
    type = 'image/jpeg',
  ) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'photo.jpg');
    const response = await fetch(upload.url, { method: 'POST', body: form });
    return { status: response.status, body: await response.json() };
  };
  const jpeg = (background: string, width = 320) =>
    sharp({ create: { width, height: 240, channels: 3, background } })
      .jpeg()
      .toBuffer();
  const officeTip = async (tipId: string) =>
    (
      await fetch(`${cloud.url}/api/office/tips/${tipId}`, {
        headers: { authorization: `Bearer ${officerToken}` },
      })
    ).json();
  const tipIdOf = async (receipt: string) =>
    tipIdFor(await dependencies.receiptKeys().receiptKey(), receipt);
  /** A PNG whose header claims `width` x `height`: decoding would need that many pixels. */
  const hugePng = async (width: number, height: number) => {
    const png = Buffer.from(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
    );
    png.writeUInt32BE(width, 16);
    png.writeUInt32BE(height, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    return png;
  };

  it('refuses what is not a readable photo, says why, keeps nothing, and the tipster sees it', async () => {
    const { body } = await createTip(validTip({ photoCount: 5 }));
    const [svg, html, truncated, huge, good] = body.photoUploads;
    const whole = await jpeg('#3a7');
    const svgBytes = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="red"/></svg>',
    );
    const htmlBytes = Buffer.from('<!doctype html><script>alert(1)</script>');
    const answers = [
      await uploadWith(svg, svgBytes, 'image/png'),
      await uploadWith(html, htmlBytes, 'image/png'),
      await uploadWith(truncated, whole.subarray(0, Math.floor(whole.length / 2))),
      await uploadWith(huge, await hugePng(20_000, 20_000), 'image/png'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([422, 422, 422, 422]);
    expect(answers.map((answer) => answer.body.error.code)).toEqual([
      'photo_refused',
      'photo_refused',
      'photo_refused',
      'photo_refused',
    ]);
    expect(answers[0]?.body.error.message.en).toContain('JPEG, PNG, WebP or HEIC');
    expect(answers[2]?.body.error.message.zh).toContain('无法读取');
    expect(answers[3]?.body.error.message.en).toContain('pixels');
    expect((await uploadWith(good, whole)).status).toBe(201);

    const tipId = await tipIdOf(body.receipt);
    expect((await officeTip(tipId)).photoKeys).toHaveLength(1);
    for (const photoId of ['p1', 'p2', 'p3', 'p4']) {
      expect(await cloud.blobStore.get(`incoming/tips/${tipId}/${photoId}`)).toBeNull();
    }
    const seen = await postJson(`${cloud.url}/api/tips/lookup`, { receipt: body.receipt });
    expect(seen.body.photos).toBe(1);
    expect(seen.body.photoSlots.map((slot: { status: string }) => slot.status)).toEqual([
      'refused',
      'refused',
      'refused',
      'refused',
      'arrived',
    ]);
    expect(seen.body.photoSlots[3].reason.zh).toContain('像素');
  });

  it('keeps every one of 12 photos uploaded to one tip at once', async () => {
    const { body } = await createTip(validTip({ photoCount: 6 }));
    const more = await postJson(`${cloud.url}/api/tips/photo-uploads`, {
      receipt: body.receipt,
      count: 6,
    });
    expect(more.status).toBe(201);
    const forms = [...body.photoUploads, ...more.body.photoUploads];
    const photos = await Promise.all(
      forms.map((_, index) => jpeg(`#${(index + 2).toString(16).repeat(3)}`, 100 + index)),
    );
    const answers = await Promise.all(
      forms.map((form, index) => uploadWith(form, photos[index] as Buffer)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(forms.map(() => 201));
    const tipId = await tipIdOf(body.receipt);
    expect((await officeTip(tipId)).photoKeys).toHaveLength(12);
    const seen = await postJson(`${cloud.url}/api/tips/lookup`, { receipt: body.receipt });
    expect(seen.body.photos).toBe(12);
  });

  it('takes one upload per form: a second is refused and the first photo stays', async () => {
    const { body } = await createTip(validTip({ photoCount: 1 }));
    const [form] = body.photoUploads;
    expect((await uploadWith(form, await jpeg('#111'))).status).toBe(201);
    const tipId = await tipIdOf(body.receipt);
    const [key] = (await officeTip(tipId)).photoKeys;
    const first = Buffer.from((await cloud.blobStore.get(key))?.bytes ?? []);

    const again = await uploadWith(form, await jpeg('#eee', 500));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('upload_form_used');
    expect((await officeTip(tipId)).photoKeys).toEqual([key]);
    expect(Buffer.from((await cloud.blobStore.get(key))?.bytes ?? [])).toEqual(first);
  });

  it('deletes a later upload to a slot already done (S3 takes it), never replacing the photo', async () => {
    const { body } = await createTip(validTip({ photoCount: 1 }));
    expect((await uploadWith(body.photoUploads[0], await jpeg('#222'))).status).toBe(201);
    const tipId = await tipIdOf(body.receipt);
    const [key] = (await officeTip(tipId)).photoKeys;
    const first = Buffer.from((await cloud.blobStore.get(key))?.bytes ?? []);
    // What S3 does with the form used again: stores the object and notifies the processor.
    const incoming = `incoming/tips/${tipId}/p1`;
    await cloud.blobStore.put({
      key: incoming,
      contentType: 'image/jpeg',
      bytes: await jpeg('#ddd', 600),
    });
    expect(await processPhoto(incoming)).toEqual({ outcome: 'duplicate' });
    expect(await cloud.blobStore.get(incoming)).toBeNull();
    expect((await officeTip(tipId)).photoKeys).toEqual([key]);
    expect(Buffer.from((await cloud.blobStore.get(key))?.bytes ?? [])).toEqual(first);
  });
});

describe('the office side', () => {
  it('keeps other jurisdictions out of the inbox and the tip', async () => {
    await createTip(validTip());
    const tipId = (await inbox())[0]?.tipId;
    const outsider = await signIn(cloud.url, 'fj-xiamen-xiangan.officer');
    const list = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
      headers: { authorization: `Bearer ${outsider}` },
    });
    expect(list.status).toBe(403);
    const tip = await fetch(`${cloud.url}/api/office/tips/${tipId}`, {
      headers: { authorization: `Bearer ${outsider}` },
    });
    expect(tip.status).toBe(404);
  });
});

describe('anonymity', () => {
  it('stores nothing of the client address or user agent', async () => {
    const agent = 'Mozilla/5.0 (SecretTipsterPhone; rv:99) UniqueAgentString';
    const address = '198.51.100.77';
    const headers = { 'user-agent': agent, 'x-forwarded-for': address, 'x-real-ip': address };
    const { body } = await postJson(`${cloud.url}/api/tips`, validTip(), headers);
    await postJson(`${cloud.url}/api/tips/lookup`, { receipt: body.receipt }, headers);
    await postJson(
      `${cloud.url}/api/tips/messages`,
      {
        receipt: body.receipt,
        idempotencyKey: crypto.randomUUID(),
        text: 'UniqueTipMarker补充一点',
      },
      headers,
    );
    const files = await readdir(cloud.dataDirectory, { recursive: true, withFileTypes: true });
    // Control: what the tipster did write is found in the files, so the search can see.
    const contents = await Promise.all(
      files
        .filter((entry) => entry.isFile())
        .map((file) => readFile(join(file.parentPath, file.name))),
    );
    expect(contents.some((content) => content.includes('UniqueTipMarker补充一点'))).toBe(true);
    for (const file of files.filter((entry) => entry.isFile())) {
      const content = await readFile(join(file.parentPath, file.name));
      for (const secret of [agent, 'UniqueAgentString', address, '127.0.0.1']) {
        expect(content.includes(secret), `${file.name} holds ${secret}`).toBe(false);
      }
      // Nor the receipt: it is stored only as a keyed hash.
      expect(content.includes(body.receipt), `${file.name} holds the receipt`).toBe(false);
    }
  });

  it('keeps no digest of the content, reward phone included, that anyone without the key can recompute', async () => {
    const phone = '13812345678';
    const tip: Record<string, unknown> = validTip({ wantsReward: true, contactPhone: phone });
    const { body } = await createTip(tip);
    expect(body.receipt).toBeTruthy();
    const tips = await inbox();
    const events = await Promise.all(
      tips.map(({ tipId }) => dependencies.eventStore().read(`TIP#${tipId}`)),
    );
    const received = events
      .map((stream) => stream[0]?.data as Record<string, unknown> | undefined)
      .find((data) => data?.contactSealed && data.description === tip.description);
    expect(received?.contentDigest).toBeTruthy();
    // What one who reads the table would try: the stored fields with each possible phone.
    const { idempotencyKey: _key, contactPhone: _phone, ...fields } = tip;
    const guess = await contentDigest(
      canonicalJson({ ...fields, contactPhone: phone, photoCount: tip.photoCount, channel: 'web' }),
    );
    expect(received?.contentDigest).not.toBe(guess);
    // Nor can one who also holds the deployment's key (a function's role, an insider):
    // the phone is in no digest at all, keyed or not.
    const key = await dependencies.receiptKeys().receiptKey();
    const keyedGuess = await tipContentDigest(
      key,
      canonicalJson({ ...fields, contactPhone: phone, photoCount: tip.photoCount, channel: 'web' }),
    );
    expect(received?.contentDigest).not.toBe(keyedGuess);
  });
});
