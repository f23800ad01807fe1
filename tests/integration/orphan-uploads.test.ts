import { randomUUID } from 'node:crypto';
import { thumbnailKeyOf } from '@qingling/shared/hazards/evidence.ts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { type EvidenceForm, uploadEvidence } from '../support/hazards.ts';
import { postJson } from '../support/tips.ts';

// Issue 14 (and the hardening issue): an evidence photo is uploaded before the command that
// names it; one never named stays forever unless swept. Over HTTP on the embedded cloud,
// by its clock: the sweep removes the photos (and thumbnails) older than a day that no
// event names, a hazard never recorded included, and keeps a named one and a fresh one.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
const hour = 3_600_000;
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

const office = (path: string, body: unknown) =>
  postJson(`${cloud.url}${path}`, body, { authorization: `Bearer ${officer}` });

/** Forms for `count` photos (of the hazard the key or id names), each photo uploaded. */
async function uploaded(
  request: { idempotencyKey: string } | { hazardId: string },
  count: number,
): Promise<{ hazardId: string; keys: string[] }> {
  const forms = await office('/api/office/hazards/photo-uploads', {
    jurisdiction,
    count,
    ...request,
  });
  expect(forms.status, JSON.stringify(forms.body)).toBe(201);
  const photoUploads: EvidenceForm[] = forms.body.photoUploads;
  const photo = await sharp({
    create: { width: 320, height: 240, channels: 3, background: '#c33' },
  })
    .jpeg()
    .toBuffer();
  for (const form of photoUploads) expect(await uploadEvidence(form, photo)).toBe(201);
  return { hazardId: forms.body.hazardId, keys: photoUploads.map((form) => form.photoKey) };
}

/** Whether a photo and its thumbnail are stored. */
const stored = async (key: string) => [
  Boolean(await cloud.blobStore.get(key)),
  Boolean(await cloud.blobStore.get(thumbnailKeyOf(key))),
];

describe('the orphan upload sweep', () => {
  it('removes a day-old photo no event names, keeps a named one and a fresh one', async () => {
    const idempotencyKey = randomUUID();
    const { hazardId, keys } = await uploaded({ idempotencyKey }, 2);
    const [named = '', unsent = ''] = keys;
    const recorded = await office('/api/office/hazards', {
      idempotencyKey,
      jurisdiction,
      source: 'inspection',
      industry: 'fire',
      place: '后厨',
      grade: 'general',
      description: '后厨液化气瓶与明火距离不足。',
      site: {
        name: '老李小吃店',
        address: '格城区北街 3 号',
        kind: 'shop',
        personInCharge: '李某',
        phone: '023-6123 4567',
      },
      photoKeys: [named],
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    // Photos for a hazard whose record was never sent: its log does not exist.
    const abandoned = await uploaded({ idempotencyKey: randomUUID() }, 1);
    const [neverRecorded = ''] = abandoned.keys;

    // Not a day old yet: the sweep removes nothing.
    clock.advance(23 * hour);
    await cloud.sweepOrphanUploads();
    for (const key of [named, unsent, neverRecorded])
      expect(await stored(key)).toEqual([true, true]);

    clock.advance(2 * hour);
    // A sign-in lasts hours, not the day that passed.
    officer = await signIn(cloud.url, 'cq-gecheng.officer');
    const fresh = await uploaded({ hazardId }, 1);
    const [justUploaded = ''] = fresh.keys;
    await cloud.sweepOrphanUploads();
    expect(await stored(unsent)).toEqual([false, false]);
    expect(await stored(neverRecorded)).toEqual([false, false]);
    expect(await stored(named)).toEqual([true, true]);
    expect(await stored(justUploaded)).toEqual([true, true]);

    // The named photo still opens on the hazard's page.
    const hazard = await fetch(`${cloud.url}/api/office/hazards/${hazardId}`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(hazard.status).toBe(200);

    // A day later the fresh one, never named either, goes too; the named one stays.
    clock.advance(25 * hour);
    await cloud.sweepOrphanUploads();
    expect(await stored(justUploaded)).toEqual([false, false]);
    expect(await stored(named)).toEqual([true, true]);
  });
});
