import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { type EvidenceForm, giveHazardCommand, uploadEvidence } from '../support/hazards.ts';
import { postJson } from '../support/tips.ts';

// Issue 14, "Evidence on every step": over HTTP on the embedded cloud, an officer records a
// hazard at a place without a credit code with two photos (uploaded first, with forms for
// the id the record request will get); an enterprise sends its fix photos through its
// link; the officer verifies with a photo; the exported log lists every photo with the
// SHA-256 of its stored copy, which has no metadata left.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let officer: string;
const jurisdiction = 'cq-gecheng';

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  officer = await signIn(cloud.url, 'cq-gecheng.officer');
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

/** A phone photo with its maker and a GPS position in its EXIF. */
async function phonePhoto(background: string): Promise<Buffer> {
  const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'SecretPhone', Model: 'Officer-Evidence' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '29/1 33/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 33/1 0/1',
      },
    })
    .toBuffer();
  expect((await sharp(bytes).metadata()).exif).toBeDefined();
  return bytes;
}

const office = (path: string, body: unknown) =>
  postJson(`${cloud.url}${path}`, body, { authorization: `Bearer ${officer}` });
const get = async (path: string, token = officer) => {
  const response = await fetch(`${cloud.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const site = {
  name: '老李小吃店',
  address: '格城区北街 3 号',
  kind: 'shop',
  personInCharge: '李某',
  phone: '023-6123 4567',
};

describe('evidence photos on a hazard, over HTTP', () => {
  const idempotencyKey = randomUUID();
  let hazardId = '';
  let foundKeys: string[] = [];

  it('records a hazard at a place without a credit code with two photos and a position', async () => {
    const forms = await office('/api/office/hazards/photo-uploads', {
      jurisdiction,
      count: 2,
      idempotencyKey,
    });
    expect(forms.status, JSON.stringify(forms.body)).toBe(201);
    hazardId = forms.body.hazardId;
    const photoUploads: EvidenceForm[] = forms.body.photoUploads;
    expect(photoUploads).toHaveLength(2);
    for (const [index, form] of photoUploads.entries()) {
      expect(form.photoKey).toMatch(new RegExp(`^evidence/${hazardId}/[0-9a-f-]{36}$`));
      expect(await uploadEvidence(form, await phonePhoto(index === 0 ? '#c33' : '#36c'))).toBe(201);
    }
    foundKeys = photoUploads.map((form) => form.photoKey);

    const request = {
      idempotencyKey,
      jurisdiction,
      source: 'inspection',
      industry: 'fire',
      place: '后厨',
      grade: 'general',
      description: '后厨液化气瓶与明火距离不足。',
      site,
      photoKeys: foundKeys,
      position: { latitude: 29.55, longitude: 106.55 },
    };
    const recorded = await office('/api/office/hazards', request);
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body.hazard.hazardId).toBe(hazardId);
    const first = recorded.body.timeline[0];
    expect(first.data.position).toEqual({ latitude: 29.55, longitude: 106.55 });
    expect(first.data.photos).toEqual(
      foundKeys.map((key) => ({ key, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })),
    );
    // The hash is the stored copy's, and the stored copy has no metadata left.
    for (const photo of first.data.photos) {
      const stored = await cloud.blobStore.get(photo.key);
      expect(stored).not.toBeNull();
      expect(sha256(stored?.bytes ?? new Uint8Array())).toBe(photo.sha256);
      expect((await sharp(stored?.bytes).metadata()).exif).toBeUndefined();
      expect(Buffer.from(stored?.bytes ?? []).includes('SecretPhone')).toBe(false);
    }
    // The retry is answered as before, and writes nothing more.
    const retried = await office('/api/office/hazards', request);
    expect(retried.status).toBe(200);
    expect(retried.body.revision).toBe(recorded.body.revision);
  });

  it('shows the photos through short-lived read URLs on the hazard page', async () => {
    const page = await get(`/api/office/hazards/${hazardId}`);
    expect(page.status).toBe(200);
    expect(Object.keys(page.body.photoUrls).sort()).toEqual([...foundKeys].sort());
    const image = await fetch(page.body.photoUrls[foundKeys[0] as string]);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    // Each has a thumbnail for the lists: a 192 px square, a small part of the photo's bytes.
    expect(Object.keys(page.body.thumbnailUrls).sort()).toEqual([...foundKeys].sort());
    const thumbnail = await fetch(page.body.thumbnailUrls[foundKeys[0] as string]);
    expect(thumbnail.status).toBe(200);
    const thumbnailBytes = new Uint8Array(await thumbnail.arrayBuffer());
    const thumbnailSize = await sharp(thumbnailBytes).metadata();
    expect([thumbnailSize.format, thumbnailSize.width, thumbnailSize.height]).toEqual([
      'jpeg',
      192,
      192,
    ]);
    expect(thumbnailSize.exif).toBeUndefined();
    const photoBytes = (await image.arrayBuffer()).byteLength;
    expect(thumbnailBytes.byteLength).toBeLessThan(photoBytes / 4);
    // A URL made up for another key, or tampered with, opens nothing.
    const forged = new URL(page.body.photoUrls[foundKeys[0] as string]);
    forged.searchParams.set('key', foundKeys[1] as string);
    expect((await fetch(forged)).status).toBe(403);
  });

  it('refuses a photo of another hazard, and one never uploaded, and writes nothing', async () => {
    const other = `evidence/${'b'.repeat(26)}/${randomUUID()}`;
    const refused = await office('/api/office/hazards', {
      idempotencyKey: randomUUID(),
      jurisdiction,
      source: 'inspection',
      industry: 'fire',
      place: '前厅',
      grade: 'general',
      description: '前厅灭火器过期未检。',
      site,
      photoKeys: [other],
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('照片不属于这条隐患');

    const key = randomUUID();
    const forms = await office('/api/office/hazards/photo-uploads', {
      jurisdiction,
      count: 1,
      idempotencyKey: key,
    });
    const missing = await office('/api/office/hazards', {
      idempotencyKey: key,
      jurisdiction,
      source: 'inspection',
      industry: 'fire',
      place: '前厅',
      grade: 'general',
      description: '前厅灭火器过期未检。',
      site,
      photoKeys: [forms.body.photoUploads[0].photoKey],
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('照片尚未处理完成');
    expect((await get(`/api/office/hazards/${forms.body.hazardId}`)).status).toBe(404);
  });

  it('takes the enterprise’s fix photos through its link and the officer’s at verification; the log lists all with their hashes', async () => {
    const recorded = await office('/api/office/hazards', {
      idempotencyKey: randomUUID(),
      jurisdiction,
      source: 'inspection',
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place: '二号仓库',
      grade: 'general',
      description: '二号仓库安全出口被货物堵塞。',
    });
    expect(recorded.status).toBe(201);
    const hazard = { id: recorded.body.hazard.hazardId as string, revision: 0 };
    hazard.revision = recorded.body.revision;
    const started = await giveHazardCommand(cloud.url, officer, hazard, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理安全出口',
      deadline: { date: '2026-12-20' },
    });
    expect(started.status).toBe(200);
    const link = await office(`/api/office/hazards/${hazard.id}/enterprise-link`, {
      validDays: 30,
    });
    const token = link.body.token;

    // The enterprise asks for forms with its view, uploads, then sends the fix done.
    const view = await postJson(`${cloud.url}/api/enterprise/hazard`, { token, photoUploads: 1 });
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    const [enterpriseForm] = view.body.photoUploads as EvidenceForm[];
    expect(await uploadEvidence(enterpriseForm as EvidenceForm, await phonePhoto('#3a6'))).toBe(
      201,
    );
    const fixed = await postJson(`${cloud.url}/api/enterprise/hazard/updates`, {
      token,
      idempotencyKey: randomUUID(),
      kind: 'evidence',
      note: '货物已清走，通道畅通。',
      photoKeys: [enterpriseForm?.photoKey],
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(201);
    expect(fixed.body.progress.at(-1).photoKeys).toEqual([enterpriseForm?.photoKey]);
    expect(Object.keys(fixed.body.photoUrls)).toEqual([enterpriseForm?.photoKey]);
    // The link opens its own hazard's photos only: another hazard's key is refused.
    const foreign = await postJson(`${cloud.url}/api/enterprise/hazard/updates`, {
      token,
      idempotencyKey: randomUUID(),
      kind: 'evidence',
      note: '再次提交。',
      photoKeys: [foundKeys[0]],
    });
    expect(foreign.status).toBe(400);

    // The officer verifies on site with a photo of their own.
    const forms = await office('/api/office/hazards/photo-uploads', {
      jurisdiction,
      count: 1,
      hazardId: hazard.id,
    });
    expect(forms.status).toBe(201);
    const [verifyForm] = forms.body.photoUploads as EvidenceForm[];
    expect(await uploadEvidence(verifyForm as EvidenceForm, await phonePhoto('#999'))).toBe(201);
    const page = await get(`/api/office/hazards/${hazard.id}`);
    hazard.revision = page.body.revision;
    const verified = await giveHazardCommand(cloud.url, officer, hazard, {
      type: 'pass_verification',
      note: '现场核查通过',
      onSite: true,
      photoKeys: [verifyForm?.photoKey],
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(Object.keys(verified.body.photoUrls).sort()).toEqual(
      [enterpriseForm?.photoKey, verifyForm?.photoKey].sort(),
    );

    const log = await get(`/api/office/hazards/${hazard.id}/log`);
    expect(log.status).toBe(200);
    expect(log.body.photos).toEqual([
      {
        sequence: expect.any(Number),
        type: 'evidence_submitted',
        key: enterpriseForm?.photoKey,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      {
        sequence: expect.any(Number),
        type: 'verification_passed',
        key: verifyForm?.photoKey,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    for (const photo of log.body.photos) {
      const stored = await cloud.blobStore.get(photo.key);
      expect(sha256(stored?.bytes ?? new Uint8Array())).toBe(photo.sha256);
    }
  });

  it('never gives forms to a role that does not record or verify', async () => {
    const head = await signIn(cloud.url, 'cq-gecheng.department_head');
    const reply = await postJson(
      `${cloud.url}/api/office/hazards/photo-uploads`,
      { jurisdiction, count: 1, hazardId },
      { authorization: `Bearer ${head}` },
    );
    expect(reply.status).toBe(403);
  });
});
