import { RequestError, withRetry } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import type { TipForTipster, UploadForm } from './contract.ts';
import { forgetPhotos, keepPhoto, keptPhoto } from './photo-store.ts';
import { preparePhoto, uploadPhoto } from './photos.ts';

/**
 * `uploaded`: sent to storage; `arrived`: the server decoded and kept it; `refused`: the
 * server could not take it as a photo (the reason is the item's error), final for its form.
 */
export type PhotoStatus =
  | 'preparing'
  | 'ready'
  | 'uploading'
  | 'uploaded'
  | 'arrived'
  | 'refused'
  | 'failed';

/** Statuses after which a photo is not sent again. */
const done: readonly PhotoStatus[] = ['uploaded', 'arrived', 'refused'];

/** A photo's SHA-256 as sent; undefined where the browser cannot hash (no secure context). */
const fingerprint = (photo: Blob): Promise<string | undefined> =>
  photo
    .arrayBuffer()
    .then((bytes) => crypto.subtle.digest('SHA-256', bytes))
    .then(
      (digest) => new Uint8Array(digest).join(),
      () => undefined,
    );

/** One photo on its way: resized in the browser, then uploaded with a progress bar. */
export class PhotoItem {
  readonly id: string;
  photo = $state.raw<Blob>();
  preview = $state<string>();
  status = $state<PhotoStatus>('preparing');
  /** Upload progress, 0…1. */
  progress = $state(0);
  error = $state<string>();
  /** The photo's fingerprint, to notice the same photo chosen again. */
  key?: Promise<string | undefined>;
  /** The server's slot (UploadForm.photoId) it was sent to. */
  slot?: string;
  /** The chosen file's name, size and time, when it came from a file chosen here. */
  source?: string;

  constructor(id: string) {
    this.id = id;
  }

  setPhoto(photo: Blob, key = fingerprint(photo)) {
    this.photo = photo;
    this.key = key;
    if (this.preview) URL.revokeObjectURL(this.preview);
    this.preview = URL.createObjectURL(photo);
    this.status = 'ready';
  }

  release() {
    if (this.preview) URL.revokeObjectURL(this.preview);
    this.preview = undefined;
  }
}

/** Where photos are kept on the phone and how one is sent: the browser's, or a test's fakes. */
export interface PhotoIo {
  keep(id: string, photo: Blob): Promise<void>;
  kept(id: string): Promise<Blob | undefined>;
  /** Forgets every kept photo but `except`. */
  forget(except?: readonly string[]): Promise<void>;
  /** Sends one photo with its form (retrying a lost connection), reporting progress 0…1. */
  upload(form: UploadForm, photo: Blob, onProgress: (fraction: number) => void): Promise<void>;
}

/** IndexedDB, and an upload retried after a lost connection. */
const browserIo: PhotoIo = {
  keep: keepPhoto,
  kept: keptPhoto,
  forget: forgetPhotos,
  upload: (form, photo, onProgress) => withRetry(() => uploadPhoto(form, photo, onProgress)),
};

/**
 * The photos of one form. `keep` stores them on the phone (IndexedDB) so that a tip waiting
 * for the network keeps its photos; the follow-up page does not keep them.
 */
export class PhotoQueue {
  items = $state<PhotoItem[]>([]);
  readonly keep: boolean;
  max: number;
  readonly #io: PhotoIo;

  constructor(options: { max: number; keep: boolean; io?: PhotoIo }) {
    this.max = options.max;
    this.keep = options.keep;
    this.#io = options.io ?? browserIo;
  }

  get ids(): string[] {
    return this.items.map((item) => item.id);
  }
  get preparing(): boolean {
    return this.items.some((item) => item.status === 'preparing');
  }
  get uploading(): boolean {
    return this.items.some((item) => item.status === 'uploading');
  }
  get failed(): PhotoItem[] {
    return this.items.filter((item) => item.status === 'failed' && item.photo);
  }
  /** Photos that can be sent (ready, or failed and ready to try again). */
  get sendable(): PhotoItem[] {
    return this.items.filter((item) => item.photo && !done.includes(item.status));
  }
  get refused(): PhotoItem[] {
    return this.items.filter((item) => item.status === 'refused');
  }

  /**
   * Takes what the server says of each slot (on AWS, photos are checked after the upload,
   * so "sent" is not yet "kept"). Returns true while a sent photo is still being checked.
   */
  reconcile(slots: TipForTipster['photoSlots']): boolean {
    const bySlot = new Map(slots.map((slot) => [slot.photoId, slot]));
    let checking = false;
    for (const item of this.items) {
      const slot = item.slot ? bySlot.get(item.slot) : undefined;
      if (!slot || (item.status !== 'uploaded' && item.status !== 'arrived')) continue;
      if (slot.status === 'arrived') item.status = 'arrived';
      else if (slot.status === 'refused') {
        item.status = 'refused';
        item.error = slot.reason ? text(slot.reason) : m.photo_refused();
      } else checking = true;
    }
    return checking;
  }

  /**
   * Adds chosen files (resized one after another to spare a phone's memory), each photo once:
   * the same photo chosen again (its resized bytes are the same) is dropped. Returns how many
   * did not fit and how many were already there. A file beyond the room is resized only if
   * a dropped duplicate made room for it: else it is one already here if it is the same file
   * (name, size and time), and one too many if not.
   */
  async add(files: Iterable<File>): Promise<{ left: number; duplicates: number }> {
    const chosen = [...files];
    const room = Math.max(0, this.max - this.items.length);
    const accepted = chosen.slice(0, room);
    const added = accepted.map(() => new PhotoItem(crypto.randomUUID()));
    this.items.push(...added);
    let duplicates = 0;
    let left = 0;
    const known = async (key: string | undefined) =>
      key !== undefined && (await Promise.all(this.items.map((other) => other.key))).includes(key);
    // Those beyond the room are looked at too: one already here is said to be so, not to be
    // one too many, and one a dropped duplicate made room for is added.
    for (const [index, file] of chosen.entries()) {
      const placed = index < accepted.length;
      let item = placed
        ? this.items.find((candidate) => candidate.id === added[index]?.id)
        : undefined;
      if (placed && !item) continue; // removed while waiting
      const source = sourceOf(file);
      if (!placed && this.items.length >= this.max) {
        if (this.items.some((other) => other.source === source)) duplicates += 1;
        else left += 1;
        continue;
      }
      try {
        const photo = await preparePhoto(file);
        const key = await fingerprint(photo);
        if (await known(key)) {
          duplicates += 1;
          if (item) this.items = this.items.filter((candidate) => candidate !== item);
          continue;
        }
        if (!item) {
          if (this.items.length >= this.max) {
            left += 1;
            continue;
          }
          item = new PhotoItem(crypto.randomUUID());
          this.items.push(item);
        }
        item.source = source;
        item.setPhoto(photo, Promise.resolve(key));
        if (this.keep) await this.#io.keep(item.id, photo);
      } catch (failure) {
        if (!item) {
          left += 1;
          continue;
        }
        item.status = 'failed';
        item.error = failure instanceof Error ? failure.message : m.photo_unreadable();
      }
    }
    return { left, duplicates };
  }

  /** Photos kept on the phone by an earlier visit. */
  async restore(ids: readonly string[], uploaded: readonly string[] = []): Promise<void> {
    for (const id of ids) {
      const photo = await this.#io.kept(id);
      if (!photo) continue;
      const item = new PhotoItem(id);
      item.setPhoto(photo);
      if (uploaded.includes(id)) {
        item.status = 'uploaded';
        item.progress = 1;
      }
      this.items.push(item);
    }
  }

  remove(item: PhotoItem) {
    item.release();
    this.items = this.items.filter((candidate) => candidate !== item);
    if (this.keep) void this.#io.forget(this.ids);
  }

  clear() {
    for (const item of this.items) item.release();
    this.items = [];
    if (this.keep) void this.#io.forget();
  }

  /** Forgets the photos kept on the phone but `ids` (those of an earlier visit's tip). */
  forgetOthers(ids: readonly string[]): Promise<void> {
    return this.#io.forget(ids);
  }

  /**
   * Sends `items` with one form each, two at a time, each retried after a lost connection.
   * Calls `onUploaded` for every photo stored; resolves true when all went.
   */
  async upload(
    items: PhotoItem[],
    forms: UploadForm[],
    onUploaded?: (item: PhotoItem) => void,
  ): Promise<boolean> {
    const jobs = items.slice(0, forms.length).map((item, index) => ({
      item,
      form: forms[index] as UploadForm,
    }));
    for (const item of items.slice(forms.length)) {
      item.status = 'failed';
      item.error = m.photo_failed();
    }
    let allSent = jobs.length === items.length;
    const run = async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        const { item, form } = job;
        const photo = item.photo;
        if (!photo) continue;
        item.slot = form.photoId;
        item.status = 'uploading';
        item.progress = 0;
        item.error = undefined;
        try {
          await this.#io.upload(form, photo, (fraction) => {
            item.progress = fraction;
          });
          item.status = 'uploaded';
          item.progress = 1;
          onUploaded?.(item);
        } catch (failure) {
          if (failure instanceof RequestError && failure.code === 'upload_form_used') {
            // A retry after a lost answer finds its form used: the first try went through.
            // What the server kept in the slot is checked afterwards (reconcile).
            item.status = 'uploaded';
            item.progress = 1;
            onUploaded?.(item);
            continue;
          }
          allSent = false;
          // Refused as a photo: final for this form, the reason beside the photo.
          item.status =
            failure instanceof RequestError && failure.code === 'photo_refused'
              ? 'refused'
              : 'failed';
          item.error = failure instanceof RequestError ? text(failure.text) : m.photo_failed();
        }
      }
    };
    await Promise.all([run(), run()]);
    return allSent;
  }
}

/** What tells a chosen file from another without reading it. */
const sourceOf = (file: File) => `${file.name}|${file.size}|${file.lastModified}`;
