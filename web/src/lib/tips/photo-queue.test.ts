import { describe, expect, it } from 'vitest';
import { RequestError } from '#lib/api.ts';
import { m } from '#lib/paraglide/messages.js';
import type { UploadForm } from './contract.ts';
import { type PhotoIo, PhotoQueue } from './photo-queue.svelte.ts';

const bilingual = (zh: string) => ({ zh, en: `${zh} (en)` });
const form = (photoId: string): UploadForm => ({ photoId, url: `/upload/${photoId}`, fields: {} });
const photo = (id: string) => new Blob([id], { type: 'image/jpeg' });

/** A queue whose photos are kept in a map and whose uploads the test answers one by one. */
function queue(kept: string[] = []) {
  const stored = new Map(kept.map((id) => [id, photo(id)]));
  const forgotten: (readonly string[] | undefined)[] = [];
  const uploads: {
    slot: string;
    progress: (fraction: number) => void;
    done: () => void;
    fail: (failure: unknown) => void;
  }[] = [];
  const io: PhotoIo = {
    keep: async (id, blob) => {
      stored.set(id, blob);
    },
    kept: async (id) => stored.get(id),
    forget: async (except) => {
      forgotten.push(except);
    },
    upload: (uploadForm, _photo, progress) =>
      new Promise((done, fail) => {
        uploads.push({ slot: uploadForm.photoId, progress, done: () => done(), fail });
      }),
  };
  return { photos: new PhotoQueue({ max: 6, keep: true, io }), uploads, forgotten };
}

/** Lets the queue's pending awaits run (no timer: a few turns of the microtask queue). */
async function settle() {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
}

describe('PhotoQueue', () => {
  it('restores the photos kept on the phone, those already sent as sent', async () => {
    const { photos } = queue(['a', 'b']);
    await photos.restore(['a', 'gone', 'b'], ['b']);
    expect(photos.items.map((item) => [item.id, item.status, item.progress])).toEqual([
      ['a', 'ready', 0],
      ['b', 'uploaded', 1],
    ]);
    expect(photos.sendable.map((item) => item.id)).toEqual(['a']);
  });

  it('sends two at a time, showing each one’s progress, and says when all went', async () => {
    const { photos, uploads } = queue(['a', 'b', 'c']);
    await photos.restore(['a', 'b', 'c']);
    const sent: string[] = [];
    const done = photos.upload(photos.items, ['s1', 's2', 's3'].map(form), (item) =>
      sent.push(item.id),
    );
    await settle();
    expect(uploads.map((upload) => upload.slot)).toEqual(['s1', 's2']);
    expect(photos.items.map((item) => item.status)).toEqual(['uploading', 'uploading', 'ready']);
    expect(photos.uploading).toBe(true);
    uploads[0]?.progress(0.5);
    expect(photos.items[0]?.progress).toBe(0.5);
    uploads[0]?.done();
    await settle();
    expect(uploads.map((upload) => upload.slot)).toEqual(['s1', 's2', 's3']);
    expect(photos.items[0]?.status).toBe('uploaded');
    uploads[1]?.done();
    uploads[2]?.done();
    expect(await done).toBe(true);
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(photos.items.map((item) => [item.slot, item.status, item.progress])).toEqual([
      ['s1', 'uploaded', 1],
      ['s2', 'uploaded', 1],
      ['s3', 'uploaded', 1],
    ]);
    expect(photos.uploading).toBe(false);
  });

  it('tells a used form (the first try went through) from a refused photo and a lost one', async () => {
    const { photos, uploads } = queue(['a', 'b', 'c', 'd']);
    await photos.restore(['a', 'b', 'c', 'd']);
    const sent: string[] = [];
    const done = photos.upload(photos.items, ['s1', 's2', 's3'].map(form), (item) =>
      sent.push(item.id),
    );
    await settle();
    uploads[0]?.fail(new RequestError(403, 'upload_form_used', bilingual('已用过')));
    uploads[1]?.fail(new RequestError(400, 'photo_refused', bilingual('不是照片')));
    await settle();
    uploads[2]?.fail(new RequestError(0, 'network', bilingual('网络断开')));
    expect(await done).toBe(false);
    expect(sent).toEqual(['a']);
    expect(photos.items.map((item) => [item.status, item.error])).toEqual([
      ['uploaded', undefined],
      ['refused', '不是照片'],
      ['failed', '网络断开'],
      ['failed', m.photo_failed()], // no form was left for it
    ]);
    expect(photos.failed.map((item) => item.id)).toEqual(['c', 'd']);
    expect(photos.refused.map((item) => item.id)).toEqual(['b']);
    expect(photos.sendable.map((item) => item.id)).toEqual(['c', 'd']);
  });

  it('takes what the server says of each slot: arrived, refused with its reason, or still checked', async () => {
    const { photos, uploads } = queue(['a', 'b', 'c']);
    await photos.restore(['a', 'b', 'c']);
    const done = photos.upload(photos.items, ['s1', 's2', 's3'].map(form));
    await settle();
    for (const upload of uploads.splice(0)) upload.done();
    await settle();
    for (const upload of uploads.splice(0)) upload.done();
    await done;
    const slots = [
      { photoId: 's1', status: 'arrived' as const },
      { photoId: 's2', status: 'refused' as const, reason: bilingual('太大') },
      { photoId: 's3', status: 'waiting' as const },
    ];
    expect(photos.reconcile(slots)).toBe(true);
    expect(photos.items.map((item) => [item.status, item.error])).toEqual([
      ['arrived', undefined],
      ['refused', '太大'],
      ['uploaded', undefined],
    ]);
    expect(photos.reconcile(slots.slice(0, 2))).toBe(false);
  });

  it('forgets on the phone what is removed, and everything when cleared', async () => {
    const { photos, forgotten } = queue(['a', 'b']);
    await photos.restore(['a', 'b']);
    const first = photos.items[0];
    if (first) photos.remove(first);
    expect(photos.ids).toEqual(['b']);
    photos.clear();
    expect(photos.items).toEqual([]);
    expect(forgotten).toEqual([['b'], undefined]);
  });
});

describe('PhotoQueue.add', () => {
  // A file chosen again in the picker comes with the same name, size and time.
  const file = (name: string) =>
    new File([name], `${name}.jpg`, { type: 'image/jpeg', lastModified: 1 });
  /** A file that counts how often it is read. */
  class CountedFile extends File {
    reads = 0;
    override arrayBuffer() {
      this.reads += 1;
      return super.arrayBuffer();
    }
  }

  it('says a photo chosen again is already added, not one too many, when the queue is full', async () => {
    const { photos } = queue();
    photos.max = 2;
    expect(await photos.add([file('a'), file('b')])).toEqual({ left: 0, duplicates: 0 });
    expect(await photos.add([file('a')])).toEqual({ left: 0, duplicates: 1 });
    expect(await photos.add([file('c')])).toEqual({ left: 1, duplicates: 0 });
    expect(photos.items).toHaveLength(2);
  });

  it('reads no file beyond the room when no duplicate made room: a phone resizes none of them', async () => {
    const { photos } = queue();
    photos.max = 2;
    await photos.add([file('a'), file('b')]);
    const extra = ['c', 'd', 'e'].map(
      (name) => new CountedFile([name], `${name}.jpg`, { type: 'image/jpeg', lastModified: 1 }),
    );
    expect(await photos.add(extra)).toEqual({ left: 3, duplicates: 0 });
    expect(extra.map((each) => each.reads)).toEqual([0, 0, 0]);
  });

  it('adds a new photo in the room a dropped duplicate left', async () => {
    const { photos } = queue();
    photos.max = 2;
    await photos.add([file('a')]);
    expect(await photos.add([file('a'), file('b')])).toEqual({ left: 0, duplicates: 1 });
    expect(photos.items.map((item) => item.status)).toEqual(['ready', 'ready']);
  });
});
