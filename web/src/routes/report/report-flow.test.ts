import { describe, expect, it } from 'vitest';
import { RequestError } from '#lib/api.ts';
import { m } from '#lib/paraglide/messages.js';
import type { TipForm } from '#lib/tips/checks.ts';
import type {
  CreateTipBody,
  JurisdictionChoice,
  TipCreated,
  TipForTipster,
  UploadForm,
} from '#lib/tips/contract.ts';
import type { Draft, PendingTip } from '#lib/tips/kept-tip.ts';
import { type PhotoIo, PhotoItem, PhotoQueue } from '#lib/tips/photo-queue.svelte.ts';
import { type Focus, type ReportApi, ReportFlow } from './report-flow.svelte.ts';

const today = '2026-12-03';
const receipt = '123456789012345678';
const bilingual = (zh: string) => ({ zh, en: `${zh} (en)` });
const offline = () => new RequestError(0, 'network', bilingual('网络断开'));

const jurisdictions: JurisdictionChoice[] = [
  {
    code: 'east',
    zh: '东区',
    en: 'East',
    units: ['东一'],
    point: { latitude: 31, longitude: 121 },
  },
  { code: 'west', zh: '西区', en: 'West', units: [], point: { latitude: 31, longitude: 100 } },
];

const goodForm = (): Partial<TipForm> => ({
  jurisdiction: 'east',
  industry: 'chemicals',
  address: '东区工业路 8 号',
  description: '仓库门口堆放了很多油桶，没有人看管。',
  seenOn: today,
});

const uploadForm = (photoId: string): UploadForm => ({
  photoId,
  url: `/upload/${photoId}`,
  fields: {},
});
const created = (photoIds: string[] = []): TipCreated => ({
  receipt,
  receivedAt: `${today}T08:00:00Z`,
  photoUploads: photoIds.map(uploadForm),
  duplicate: false,
});
const lookedUp = (slots: TipForTipster['photoSlots']) => ({ photoSlots: slots }) as TipForTipster;

/** A promise the test settles. */
function later<T>() {
  let resolve!: (value: T) => void;
  let reject!: (failure: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/**
 * The page's world as plain fakes: storage that copies as JSON (as the browser's does),
 * photos kept in a map, an API whose answers each test sets, and a record of every call.
 */
function world(options: { draft?: Draft; pending?: PendingTip; photos?: string[] } = {}) {
  const storage: { draft?: string; pending?: string } = {};
  const save = (key: 'draft' | 'pending', value: unknown) => {
    if (value === undefined) delete storage[key];
    else storage[key] = JSON.stringify(value);
  };
  save('draft', options.draft);
  save('pending', options.pending);
  const stored = new Map<string, Blob>(
    (options.photos ?? []).map((id) => [id, new Blob([id], { type: 'image/jpeg' })]),
  );
  const calls = {
    createTip: [] as CreateTipBody[],
    photoUploads: [] as number[],
    lookups: 0,
    uploads: [] as string[],
    forgotten: [] as (readonly string[] | undefined)[],
    waits: [] as number[],
    focus: [] as Focus[],
    panels: 0,
  };
  const answers = {
    jurisdictions: (): Promise<{ jurisdictions: JurisdictionChoice[] }> =>
      Promise.resolve({ jurisdictions }),
    createTip: (): Promise<TipCreated> => Promise.resolve(created()),
    photoUploads: (count: number) =>
      Promise.resolve({
        photoUploads: Array.from({ length: count }, (_, i) => uploadForm(`extra-${i}`)),
      }),
    lookup: (): Promise<TipForTipster> => Promise.resolve(lookedUp([])),
    /** Per upload form's slot: undefined sends the photo, an error refuses it. */
    upload: (_slot: string): Error | undefined => undefined,
    panel: (): Promise<string> => Promise.resolve('panel'),
    locate: () => Promise.resolve({ latitude: 31.01, longitude: 121.01, accuracy: 30.4 }),
  };
  const api: ReportApi = {
    jurisdictions: () => answers.jurisdictions(),
    createTip: (tip) => {
      calls.createTip.push(tip);
      return answers.createTip();
    },
    photoUploads: (_receipt, count) => {
      calls.photoUploads.push(count);
      return answers.photoUploads(count);
    },
    lookup: () => {
      calls.lookups += 1;
      return answers.lookup();
    },
  };
  const io: PhotoIo = {
    keep: async (id, photo) => {
      stored.set(id, photo);
    },
    kept: async (id) => stored.get(id),
    forget: async (except) => {
      calls.forgotten.push(except);
    },
    upload: async (form, _photo, onProgress) => {
      calls.uploads.push(form.photoId);
      const failure = answers.upload(form.photoId);
      if (failure) throw failure;
      onProgress(1);
    },
  };
  const state = { online: true };
  let keys = 0;
  const flow = new ReportFlow<string>({
    api,
    kept: {
      loadDraft: () => (storage.draft ? (JSON.parse(storage.draft) as Draft) : undefined),
      saveDraft: (draft) => save('draft', draft),
      loadPending: () =>
        storage.pending ? (JSON.parse(storage.pending) as PendingTip) : undefined,
      savePending: (pending) => save('pending', pending),
    },
    photos: new PhotoQueue({ max: 6, keep: true, io }),
    today: () => today,
    online: () => state.online,
    locate: () => answers.locate(),
    wait: async (ms) => {
      calls.waits.push(ms);
    },
    newKey: () => `key-${++keys}`,
    loadPanel: () => {
      calls.panels += 1;
      return answers.panel();
    },
    focus: (target) => {
      calls.focus.push(target);
    },
  });
  const kept = () => (storage.pending ? (JSON.parse(storage.pending) as PendingTip) : undefined);
  const draft = () => (storage.draft ? (JSON.parse(storage.draft) as Draft) : undefined);
  return { flow, calls, answers, state, kept, draft, stored };
}

/** A started page with a good form and the given photos chosen. */
async function filledIn(photoIds: string[] = []) {
  const page = world({ photos: photoIds, draft: { form: goodForm() as TipForm, photoIds } });
  await page.flow.start();
  return page;
}

describe('ReportFlow: the form', () => {
  it("starts on today's date with this tab's draft and its photos; other photos are forgotten", async () => {
    const { flow, calls } = world({
      draft: {
        form: { ...goodForm(), seenOn: '', shareLocation: true } as TipForm,
        photoIds: ['a'],
      },
      photos: ['a'],
    });
    expect(flow.hydrated).toBe(false);
    await flow.start();
    expect(flow.hydrated).toBe(true);
    expect(flow.phase).toBe('editing');
    expect(flow.form.seenOn).toBe(today);
    expect(flow.form.address).toBe('东区工业路 8 号');
    expect(flow.form.shareLocation).toBe(false); // asked again, never assumed
    expect(flow.photos.ids).toEqual(['a']);
    expect(calls.forgotten).toEqual([['a']]);
    expect(flow.jurisdictions?.map((j) => j.code)).toEqual(['east', 'west']);
    expect(flow.chosen?.units).toEqual(['东一']);
  });

  it('chooses the only jurisdiction there is, and offers a retry when the list fails', async () => {
    const page = world();
    page.answers.jurisdictions = () => Promise.resolve({ jurisdictions: jurisdictions.slice(1) });
    await page.flow.start();
    expect(page.flow.form.jurisdiction).toBe('west');

    const failing = world();
    failing.answers.jurisdictions = () => Promise.reject(offline());
    await failing.flow.start();
    expect(failing.flow.jurisdictionsError).toBe('网络断开');
    failing.answers.jurisdictions = () => Promise.resolve({ jurisdictions });
    await failing.flow.loadJurisdictions();
    expect(failing.flow.jurisdictionsError).toBeUndefined();
    expect(failing.flow.jurisdictions).toHaveLength(2);
  });

  it('keeps the draft while editing, and only then', async () => {
    const page = world();
    page.flow.keepDraft();
    expect(page.draft()).toBeUndefined(); // not before the page has hydrated
    await page.flow.start();
    page.flow.form.address = '西街';
    page.flow.keepDraft();
    expect(page.draft()?.form.address).toBe('西街');
    page.flow.phase = 'queued';
    page.flow.form.address = '北街';
    page.flow.keepDraft();
    expect(page.draft()?.form.address).toBe('西街');
  });

  it('lists what is wrong in the order of the form, sends nothing and moves to the summary', async () => {
    const page = world();
    await page.flow.start();
    page.flow.form.wantsReward = true;
    page.flow.photos.items.push(new PhotoItem('still-resizing'));
    await page.flow.submit();
    expect(page.flow.summary.map((item) => item.key)).toEqual([
      'jurisdiction',
      'industry',
      'address',
      'description',
      'photoCount',
      'contactPhone',
    ]);
    expect(page.flow.summary[0]).toEqual({
      key: 'jurisdiction',
      id: 'tip-jurisdiction',
      message: m.check_jurisdiction(),
    });
    expect(page.flow.errors.photoCount).toBe(m.check_photos_preparing());
    expect(page.flow.describedBy('address', true)).toBe('tip-address-hint tip-address-error');
    expect(page.flow.describedBy('unit')).toBeUndefined();
    expect(page.calls.focus).toEqual(['summary']);
    expect(page.calls.createTip).toEqual([]);
    expect(page.kept()).toBeUndefined();
    expect(page.flow.phase).toBe('editing');
  });

  it('drops the error of a field once it is corrected, and flags nothing new while typing', async () => {
    const page = world();
    await page.flow.start();
    page.flow.form.wantsReward = true;
    await page.flow.submit();
    const shown = () => page.flow.summary.map((item) => item.key);
    expect(shown()).toEqual(['jurisdiction', 'industry', 'address', 'description', 'contactPhone']);

    page.flow.form.address = '东';
    page.flow.dropCorrectedErrors();
    expect(page.flow.errors.address).toBe(m.check_address()); // changed, still too short
    page.flow.form.address = '东区工业路 8 号';
    page.flow.form.wantsReward = false; // the phone is no longer asked for
    page.flow.form.seenOn = '2099-01-01'; // wrong, but flagged only when sent
    page.flow.dropCorrectedErrors();
    expect(shown()).toEqual(['jurisdiction', 'industry', 'description']);
    expect(page.flow.describedBy('address')).toBeUndefined();

    await page.flow.submit();
    expect(shown()).toEqual(['jurisdiction', 'industry', 'description', 'seenOn']);
  });

  it("keeps the server's error of a field until that field is changed", async () => {
    const page = await filledIn();
    page.answers.createTip = () =>
      Promise.reject(
        new RequestError(400, 'invalid', bilingual('请检查'), [
          { path: 'address', message: bilingual('地址含有不允许的字符') },
        ]),
      );
    await page.flow.submit();
    page.flow.form.description += '。';
    page.flow.dropCorrectedErrors();
    expect(page.flow.errors.address).toBe('地址含有不允许的字符');
    page.flow.form.address = '东区工业路 9 号';
    page.flow.dropCorrectedErrors();
    expect(page.flow.summary).toEqual([]);
  });

  it('shares the location: the nearest jurisdiction is chosen; a refusal unticks the box', async () => {
    const page = world();
    await page.flow.start();
    page.flow.form.jurisdiction = 'west';
    page.flow.form.unit = '西一';
    page.flow.form.shareLocation = true;
    await page.flow.toggleLocation();
    expect(page.flow.position).toEqual({
      latitude: 31.01,
      longitude: 121.01,
      accuracyMeters: 30,
      datum: 'WGS84',
    });
    expect(page.flow.form.jurisdiction).toBe('east');
    expect(page.flow.form.unit).toBe('');
    expect(page.flow.locationNote).toBe(m.location_nearest({ name: '东区' }));
    expect(page.flow.locating).toBe(false);

    page.answers.locate = () => Promise.reject(new Error('denied'));
    await page.flow.toggleLocation();
    expect(page.flow.form.shareLocation).toBe(false);
    expect(page.flow.position).toBeUndefined();
    expect(page.flow.locationNote).toBe(m.location_failed());
  });
});

describe('ReportFlow: sending', () => {
  it('keeps the tip, then shows the receipt and sends each photo to its slot', async () => {
    const page = await filledIn(['a', 'b']);
    page.answers.createTip = () => Promise.resolve(created(['slot-1', 'slot-2']));
    await page.flow.submit();
    expect(page.calls.createTip).toHaveLength(1);
    expect(page.calls.createTip[0]).toMatchObject({ idempotencyKey: 'key-1', photoCount: 2 });
    expect(page.flow.phase).toBe('receipt');
    expect(page.flow.receipt).toBe(receipt);
    expect(page.flow.panel).toBe('panel');
    expect(page.calls.uploads.sort()).toEqual(['slot-1', 'slot-2']);
    expect(page.flow.photos.items.map((item) => [item.id, item.status, item.slot])).toEqual([
      ['a', 'uploaded', 'slot-1'],
      ['b', 'uploaded', 'slot-2'],
    ]);
    expect(page.draft()).toBeUndefined();
    expect(page.kept()).toMatchObject({
      photoIds: ['a', 'b'],
      slots: { a: 'slot-1', b: 'slot-2' },
    });
    expect(page.kept()?.uploaded.sort()).toEqual(['a', 'b']);
    expect(page.calls.focus).toEqual(['status']);
  });

  it('does not send the same tip twice at once', async () => {
    const page = await filledIn();
    const answer = later<TipCreated>();
    page.answers.createTip = () => answer.promise;
    const first = page.flow.submit();
    expect(page.flow.phase).toBe('sending');
    const again = [page.flow.send(), page.flow.submit(), page.flow.wentOnline()];
    answer.resolve(created());
    await Promise.all([first, ...again]);
    expect(page.calls.createTip).toHaveLength(1);
    expect(page.flow.phase).toBe('receipt');
  });

  it('offline, the tip waits on the phone and goes, with the same key, when the network is back', async () => {
    const page = await filledIn();
    page.answers.createTip = () => Promise.reject(offline());
    await page.flow.submit();
    expect(page.flow.phase).toBe('queued');
    expect(page.flow.sendError).toBe('网络断开');
    expect(page.kept()?.tip.idempotencyKey).toBe('key-1');

    page.state.online = false;
    await page.flow.retryQueued();
    expect(page.calls.createTip).toHaveLength(1); // the phone knows it is offline

    page.answers.createTip = () => Promise.resolve(created());
    await page.flow.wentOnline();
    expect(page.calls.createTip.map((tip) => tip.idempotencyKey)).toEqual(['key-1', 'key-1']);
    expect(page.flow.phase).toBe('receipt');
    expect(page.flow.sendError).toBeUndefined();
    await page.flow.wentOnline(); // once shown, a receipt is not asked for again
    expect(page.calls.createTip).toHaveLength(2);
  });

  it('a refused tip goes back to its form with the reasons beside the fields', async () => {
    const page = await filledIn();
    page.answers.createTip = () =>
      Promise.reject(
        new RequestError(400, 'invalid', bilingual('请检查'), [
          { path: 'address', message: bilingual('地址太短') },
          { path: 'address', message: bilingual('第二条') },
          { path: '', message: bilingual('整体问题') },
        ]),
      );
    await page.flow.submit();
    expect(page.flow.phase).toBe('editing');
    expect(page.flow.errors).toEqual({ address: '地址太短', form: '整体问题' });
    expect(page.flow.summary.map((item) => [item.key, item.id])).toEqual([
      ['address', 'tip-address'],
      ['form', undefined],
    ]);
    expect(page.flow.formError).toBe('请检查');
    expect(page.flow.form.address).toBe('东区工业路 8 号');
    expect(page.kept()).toBeUndefined();
    expect(page.calls.focus).toEqual(['status', 'summary']);
  });

  it('saved but the receipt panel did not load: the tip waits, and sent again shows the receipt', async () => {
    const page = await filledIn();
    page.answers.panel = () => Promise.reject(new Error('chunk lost'));
    await page.flow.submit();
    expect(page.flow.phase).toBe('queued');
    expect(page.flow.sendError).toBe(m.error_network());
    expect(page.flow.receipt).toBeUndefined();
    expect(page.kept()).toBeDefined();

    page.answers.panel = () => Promise.resolve('panel');
    await page.flow.send();
    expect(page.calls.panels).toBe(2); // a failed load is tried again
    expect(page.flow.phase).toBe('receipt');
    await page.flow.finish();
    page.flow.startAgain();
    await page.flow.submit();
    expect(page.calls.panels).toBe(2); // a loaded panel is loaded once
  });
});

describe('ReportFlow: a tip kept by an earlier visit', () => {
  const pending = (): PendingTip => ({
    tip: { idempotencyKey: 'old-key', photoCount: 2, ...goodForm() } as CreateTipBody,
    photoIds: ['a', 'b'],
    uploaded: ['a'],
    slots: { a: 'slot-1' },
  });

  it('is sent again on the next visit, and only the photo not yet stored follows it', async () => {
    const page = world({ pending: pending(), photos: ['a', 'b'] });
    // A repeated answer offers forms only for the slots still empty.
    page.answers.createTip = () => Promise.resolve(created(['slot-2']));
    await page.flow.start();
    expect(page.calls.forgotten[0]).toEqual(['a', 'b']);
    expect(page.calls.createTip.map((tip) => tip.idempotencyKey)).toEqual(['old-key']);
    expect(page.calls.uploads).toEqual(['slot-2']);
    expect(page.kept()?.slots).toEqual({ a: 'slot-1', b: 'slot-2' });
    expect(page.kept()?.uploaded).toEqual(['a', 'b']);
    expect(page.flow.photos.items.map((item) => [item.status, item.slot])).toEqual([
      ['uploaded', 'slot-1'],
      ['uploaded', 'slot-2'],
    ]);
  });

  it('sends a photo again to the slot it was given before, and the others to the free ones', async () => {
    // The first visit was given slot-2 for photo a, then lost the network before any upload.
    const page = world({
      pending: { ...pending(), uploaded: [], slots: { a: 'slot-2' } },
      photos: ['a', 'b'],
    });
    page.answers.createTip = () => Promise.resolve(created(['slot-1', 'slot-2']));
    await page.flow.start();
    expect(page.calls.photoUploads).toEqual([]);
    expect(page.flow.photos.items.map((item) => [item.id, item.slot])).toEqual([
      ['a', 'slot-2'],
      ['b', 'slot-1'],
    ]);
    expect(page.kept()?.slots).toEqual({ a: 'slot-2', b: 'slot-1' });
  });

  it('waits while offline; discarded, it comes back as a form to correct', async () => {
    const page = world({ pending: pending(), photos: ['a', 'b'] });
    page.state.online = false;
    await page.flow.start();
    expect(page.flow.phase).toBe('queued');
    expect(page.calls.createTip).toEqual([]);
    page.flow.discard();
    expect(page.flow.phase).toBe('editing');
    expect(page.kept()).toBeUndefined();
    expect(page.flow.form).toMatchObject({ ...goodForm(), shareLocation: false });
  });
});

describe('ReportFlow: photos after the receipt', () => {
  it('asks for forms the answer lacked; a failed photo is sent again to the same slot', async () => {
    const page = await filledIn(['a', 'b']);
    page.answers.createTip = () => Promise.resolve(created(['slot-1']));
    page.answers.upload = (slot) => (slot === 'extra-0' ? offline() : undefined);
    await page.flow.submit();
    expect(page.calls.photoUploads).toEqual([1]);
    expect(page.flow.photos.items.map((item) => [item.status, item.slot])).toEqual([
      ['uploaded', 'slot-1'],
      ['failed', 'extra-0'],
    ]);
    expect(page.flow.photos.failed.map((item) => item.error)).toEqual(['网络断开']);

    page.answers.upload = () => undefined;
    await page.flow.retryPhotos();
    expect(page.calls.photoUploads).toEqual([1]); // its form is kept for the retry
    expect(page.calls.uploads).toEqual(['slot-1', 'extra-0', 'extra-0']);
    expect(page.flow.photos.failed).toEqual([]);
  });

  it('marks a photo failed when no form could be had for it', async () => {
    const page = await filledIn(['a']);
    page.answers.photoUploads = () => Promise.reject(offline());
    await page.flow.submit();
    expect(page.flow.photos.items[0]?.status).toBe('failed');
    expect(page.flow.photos.items[0]?.error).toBe(m.photo_failed());
    expect(page.calls.uploads).toEqual([]);
  });

  it('asks, waiting longer each time, until the server has checked every photo', async () => {
    const page = await filledIn(['a', 'b']);
    page.answers.createTip = () => Promise.resolve(created(['slot-1', 'slot-2']));
    const answers = [
      lookedUp([
        { photoId: 'slot-1', status: 'arrived' },
        { photoId: 'slot-2', status: 'waiting' },
      ]),
      lookedUp([
        { photoId: 'slot-1', status: 'arrived' },
        { photoId: 'slot-2', status: 'refused', reason: bilingual('不是照片') },
      ]),
    ];
    page.answers.lookup = () => Promise.resolve(answers.shift() ?? lookedUp([]));
    await page.flow.submit();
    expect(page.calls.lookups).toBe(2);
    expect(page.calls.waits).toEqual([1000]);
    expect(page.flow.photos.items.map((item) => [item.status, item.error])).toEqual([
      ['arrived', undefined],
      ['refused', '不是照片'],
    ]);
  });

  it('stops asking after six rounds', async () => {
    const page = await filledIn(['a']);
    page.answers.createTip = () => Promise.resolve(created(['slot-1']));
    page.answers.lookup = () =>
      Promise.resolve(lookedUp([{ photoId: 'slot-1', status: 'waiting' }]));
    await page.flow.submit();
    expect(page.calls.lookups).toBe(6);
    expect(page.calls.waits).toEqual([1000, 2000, 4000, 8000, 16000]);
  });
});

describe('ReportFlow: done', () => {
  it('forgets the tip, its receipt and its photos once the receipt is saved', async () => {
    const page = await filledIn(['a']);
    page.answers.createTip = () => Promise.resolve(created(['slot-1']));
    await page.flow.submit();
    page.flow.finish();
    expect(page.flow.phase).toBe('done');
    expect(page.flow.receipt).toBeUndefined();
    expect(page.kept()).toBeUndefined();
    expect(page.draft()).toBeUndefined();
    expect(page.flow.photos.items).toEqual([]);
    expect(page.calls.forgotten.at(-1)).toBeUndefined(); // every photo
    expect(page.flow.form).toMatchObject({ address: '', seenOn: today });
    page.flow.startAgain();
    expect(page.flow.phase).toBe('editing');
    expect(page.calls.focus.slice(-2)).toEqual(['done', 'report']);
  });
});
