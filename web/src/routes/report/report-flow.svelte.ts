import { RequestError } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import {
  checkTip,
  emptyTipForm,
  type FieldErrors,
  fromCreateTip,
  type TipForm,
  toCreateTip,
} from '#lib/tips/checks.ts';
import type {
  CreateTipBody,
  JurisdictionChoice,
  PhotoUploads,
  SharedLocation,
  TipCreated,
  TipForTipster,
  UploadForm,
} from '#lib/tips/contract.ts';
import { nearestJurisdiction } from '#lib/tips/geo.ts';
import type { Draft, PendingTip } from '#lib/tips/kept-tip.ts';
import type { PhotoQueue } from '#lib/tips/photo-queue.svelte.ts';

/**
 * The report page's steps: `editing` the form; `sending` the tip; `queued` (kept on the
 * phone, sent again when the network is back); `receipt` shown while the photos follow;
 * `done` once the tipster has saved the receipt.
 */
export type Phase = 'editing' | 'sending' | 'queued' | 'receipt' | 'done';

/** Where the reader is taken after a change of step (an element of the page). */
export type Focus = 'status' | 'done' | 'summary' | 'report';

/** The API calls of the page (the browser's retry the network; a test's answer at once). */
export interface ReportApi {
  jurisdictions(): Promise<{ jurisdictions: JurisdictionChoice[] }>;
  createTip(tip: CreateTipBody): Promise<TipCreated>;
  photoUploads(receipt: string, count: number): Promise<PhotoUploads>;
  lookup(receipt: string): Promise<TipForTipster>;
}

/** What the page keeps on the phone between visits (kept-tip.ts in the browser). */
export interface KeptTip {
  loadDraft(): Draft | undefined;
  saveDraft(draft: Draft | undefined): void;
  loadPending(): PendingTip | undefined;
  savePending(pending: PendingTip | undefined): void;
}

/** Everything the flow needs from the world, given so that a test can give plain fakes. */
export interface ReportDeps<Panel> {
  api: ReportApi;
  kept: KeptTip;
  photos: PhotoQueue;
  /** Today's date in China, YYYY-MM-DD. */
  today(): string;
  online(): boolean;
  /** The phone's position (WGS-84). */
  locate(): Promise<{ latitude: number; longitude: number; accuracy: number }>;
  wait(ms: number): Promise<void>;
  /** A new idempotency key. */
  newKey(): string;
  /** The receipt's panel, loaded when a tip is sent (not on the first screen). */
  loadPanel(): Promise<Panel>;
  focus(target: Focus): void;
}

/** While a tip waits, how often to try again (the "online" event is not always fired). */
export const retryEveryMs = 20_000;

/** The element of each field (by the API's name for it), in the order of the form. */
export const fieldIds: Record<string, string> = {
  location: 'tip-location',
  jurisdiction: 'tip-jurisdiction',
  unit: 'tip-unit',
  industry: 'tip-industry',
  enterprise: 'tip-enterprise',
  address: 'tip-address',
  description: 'tip-description',
  seenOn: 'tip-seen-on',
  photoCount: 'tip-photos',
  isEmployee: 'tip-employee',
  wantsReward: 'tip-reward',
  contactPhone: 'tip-phone',
};

/**
 * The rules of the report page: which step it is at, what may be sent when, what a kept
 * tip does offline and back online, how photos follow the saved text, and what each
 * failure shows. The page (ReportForm.svelte) renders it and wires it to the browser.
 */
export class ReportFlow<Panel = unknown> {
  phase = $state<Phase>('editing');
  hydrated = $state(false);
  today = $state('');
  form = $state<TipForm>(emptyTipForm());
  errors = $state<FieldErrors>({});
  formError = $state<string>();
  jurisdictions = $state<JurisdictionChoice[]>();
  jurisdictionsError = $state<string>();
  position = $state.raw<SharedLocation>();
  locating = $state(false);
  locationNote = $state<string>();
  pending = $state.raw<PendingTip>();
  sendError = $state<string>();
  /** The receipt, in memory only while it is shown. */
  receipt = $state<string>();
  /** The receipt's panel, once loaded. */
  panel = $state.raw<Panel>();
  readonly photos: PhotoQueue;

  /** The jurisdiction chosen, with its units. */
  chosen = $derived(this.jurisdictions?.find((j) => j.code === this.form.jurisdiction));
  /** The errors shown above the form: the fields' in the form's order, then the others. */
  summary = $derived(
    [...Object.keys(fieldIds), ...Object.keys(this.errors).filter((key) => !fieldIds[key])]
      .filter((key) => this.errors[key])
      .map((key) => ({ key, id: fieldIds[key], message: this.errors[key] as string })),
  );

  readonly #deps: ReportDeps<Panel>;
  /** The form as it was when its errors were given: a field changed since may lose its error. */
  #errorsGivenFor = $state.raw<TipForm>();
  #panelLoading: Promise<Panel> | undefined;
  /** The upload form of each photo, kept for retries. */
  readonly #photoForms = new Map<string, UploadForm>();

  constructor(deps: ReportDeps<Panel>) {
    this.#deps = deps;
    this.photos = deps.photos;
  }

  /** For aria-describedby: the field's hint (when it has one) and its error (when shown). */
  describedBy(name: string, hint = false): string | undefined {
    const id = fieldIds[name];
    return (
      [hint ? `${id}-hint` : '', this.errors[name] ? `${id}-error` : '']
        .filter(Boolean)
        .join(' ') || undefined
    );
  }

  /**
   * The page has hydrated: a tip kept by an earlier visit is sent again (when online), or
   * the draft of this tab comes back. Resolves once the photos, any resend and the list of
   * jurisdictions have settled (for tests).
   */
  start(): Promise<unknown> {
    const { kept, photos } = this.#deps;
    this.today = this.#deps.today();
    const pending = kept.loadPending();
    let restored: Promise<unknown>;
    if (pending) {
      this.pending = pending;
      this.phase = 'queued';
      void photos.forgetOthers(pending.photoIds);
      restored = photos.restore(pending.photoIds, pending.uploaded).then(() => {
        if (this.#deps.online()) return this.send();
      });
    } else {
      const draft = kept.loadDraft();
      restored = Promise.resolve();
      if (draft) {
        this.form = { ...emptyTipForm(), ...draft.form, shareLocation: false };
        restored = photos.restore(draft.photoIds);
      }
      void photos.forgetOthers(draft?.photoIds ?? []);
    }
    if (!this.form.seenOn) this.form.seenOn = this.today;
    this.hydrated = true;
    return Promise.all([restored, this.loadJurisdictions()]);
  }

  /** The draft survives a reload or a change of language (this tab only). */
  keepDraft(): void {
    if (!this.hydrated || this.phase !== 'editing') return;
    this.#deps.kept.saveDraft({ form: this.form, photoIds: this.photos.ids });
  }

  /** The network is back: a waiting tip is sent. */
  wentOnline(): Promise<void> | undefined {
    return this.phase === 'queued' ? this.send() : undefined;
  }

  /** Now and then while a tip waits: sent again if the phone thinks it is online. */
  retryQueued(): Promise<void> | undefined {
    return this.#deps.online() ? this.wentOnline() : undefined;
  }

  async loadJurisdictions(): Promise<void> {
    this.jurisdictionsError = undefined;
    try {
      const answer = await this.#deps.api.jurisdictions();
      this.jurisdictions = answer.jurisdictions.map(({ code, zh, en, units, point }) => ({
        code,
        zh,
        en,
        units,
        ...(point ? { point } : {}),
      }));
      if (this.jurisdictions.length === 1 && !this.form.jurisdiction) {
        this.form.jurisdiction = this.jurisdictions[0]?.code ?? '';
      }
      if (this.position) this.#chooseNearest(this.position);
    } catch (failure) {
      this.jurisdictionsError =
        failure instanceof RequestError ? text(failure.text) : m.error_unexpected();
    }
  }

  /** Another jurisdiction has other units. */
  jurisdictionChanged(): void {
    this.form.unit = '';
  }

  #chooseNearest(here: SharedLocation): void {
    const nearest = this.jurisdictions && nearestJurisdiction(here, this.jurisdictions);
    if (!nearest) return;
    if (this.form.jurisdiction !== nearest.code) {
      this.form.jurisdiction = nearest.code;
      this.form.unit = '';
    }
    this.locationNote = m.location_nearest({ name: text(nearest) });
  }

  /**
   * While the reader corrects the form: the error of a field they changed goes as soon as
   * the field passes the page's own checks, so that the summary lists only what is still
   * wrong. Nothing new is flagged while typing (that waits for "send"), and an error of a
   * field not touched stays, even one only the server could see.
   */
  dropCorrectedErrors(): void {
    const given = this.#errorsGivenFor;
    if (!given) return;
    const now = checkTip(this.form, this.today);
    const changed = (field: keyof TipForm) => this.form[field] !== given[field];
    for (const field of Object.keys(this.errors)) {
      if (!this.errors[field] || !(field in given) || now[field]) continue;
      const touched =
        changed(field as keyof TipForm) || (field === 'contactPhone' && changed('wantsReward'));
      if (touched) this.errors[field] = undefined;
    }
  }

  /** The "share my location" box was ticked or unticked (form.shareLocation). */
  async toggleLocation(): Promise<void> {
    this.errors.location = undefined;
    if (!this.form.shareLocation) {
      this.position = undefined;
      this.locationNote = undefined;
      return;
    }
    this.locating = true;
    this.locationNote = m.location_finding();
    try {
      const coords = await this.#deps.locate();
      this.position = {
        latitude: coords.latitude,
        longitude: coords.longitude,
        accuracyMeters: Math.min(100_000, Math.round(coords.accuracy)),
        datum: 'WGS84',
      };
      this.locationNote = m.location_shared();
      this.#chooseNearest(this.position);
    } catch {
      this.form.shareLocation = false;
      this.position = undefined;
      this.locationNote = m.location_failed();
    } finally {
      this.locating = false;
    }
  }

  /** Checks the form; a good one is kept on the phone (with a new idempotency key) and sent. */
  async submit(): Promise<void> {
    if (!this.hydrated || this.phase !== 'editing') return;
    this.formError = undefined;
    this.errors = checkTip(this.form, this.today);
    if (this.photos.preparing) this.errors.photoCount = m.check_photos_preparing();
    if (this.form.shareLocation && !this.position) this.errors.location = m.location_failed();
    this.#errorsGivenFor = { ...this.form };
    if (this.summary.length > 0) return this.#deps.focus('summary');
    const items = this.photos.items.filter((item) => item.photo);
    this.pending = {
      tip: toCreateTip(this.form, {
        idempotencyKey: this.#deps.newKey(),
        photoCount: items.length,
        ...(this.position ? { location: this.position } : {}),
      }),
      photoIds: items.map((item) => item.id),
      uploaded: [],
    };
    this.#deps.kept.savePending(this.pending);
    this.#deps.kept.saveDraft(undefined);
    await this.send();
  }

  /** The receipt's panel, loaded once; a failed load is tried again next time. */
  #loadPanel(): Promise<Panel> {
    this.#panelLoading ??= this.#deps.loadPanel().catch((failure: unknown) => {
      this.#panelLoading = undefined;
      throw failure;
    });
    return this.#panelLoading;
  }

  #queue(error: string): void {
    this.sendError = error;
    this.phase = 'queued';
    this.#deps.focus('status');
  }

  /** Sends the kept tip; a retry carries the same idempotency key and gets the same receipt. */
  async send(): Promise<void> {
    const tip = this.pending?.tip;
    if (!tip || this.phase === 'sending' || this.phase === 'receipt') return;
    this.phase = 'sending';
    const panel = this.#loadPanel(); // along with the tip, so it is there for the receipt
    panel.catch(() => {});
    this.sendError = undefined;
    this.#deps.focus('status');
    let created: TipCreated;
    try {
      created = await this.#deps.api.createTip(tip);
    } catch (failure) {
      if (failure instanceof RequestError && failure.retryable) {
        return this.#queue(text(failure.text));
      }
      // Refused: nothing was stored. Back to the form, with the server's reasons.
      this.#deps.kept.savePending(undefined);
      this.pending = undefined;
      this.form = { ...fromCreateTip(tip), shareLocation: this.position !== undefined };
      this.errors = {};
      if (failure instanceof RequestError) {
        for (const issue of failure.issues) {
          const field = issue.path.split('.')[0] || 'form';
          this.errors[field] ??= text(issue.message);
        }
      }
      this.#errorsGivenFor = { ...this.form };
      this.formError = failure instanceof RequestError ? text(failure.text) : m.error_unexpected();
      this.phase = 'editing';
      return this.#deps.focus('summary');
    }
    try {
      this.panel = await panel;
    } catch {
      // Saved, but the receipt cannot be shown: the tip stays kept, and sent again (same
      // idempotency key) it brings back the same receipt.
      return this.#queue(m.error_network());
    }
    this.receipt = created.receipt;
    this.phase = 'receipt';
    await this.#uploadPhotos(created.photoUploads);
  }

  /**
   * Photos follow the saved text. Each photo keeps the server's slot it was given, so that a
   * repeated answer (which offers forms only for slots still empty) matches photo to slot.
   */
  async #uploadPhotos(forms: UploadForm[]): Promise<void> {
    const { api, kept: keep } = this.#deps;
    const kept = this.pending;
    if (!kept) return;
    const photoForms = this.#photoForms;
    const slots = { ...kept.slots };
    const claimed = new Set(Object.values(slots));
    const waiting = this.photos.items.filter(
      (item) => item.photo && item.status !== 'uploaded' && !kept.uploaded.includes(item.id),
    );
    const unclaimed = forms.filter((form) => !claimed.has(form.photoId));
    for (const item of waiting) {
      const slot = slots[item.id];
      const form = slot ? forms.find((candidate) => candidate.photoId === slot) : unclaimed.shift();
      if (!form) continue;
      slots[item.id] = form.photoId;
      photoForms.set(item.id, form);
    }
    this.pending = { ...kept, slots };
    keep.savePending(this.pending);
    const missing = waiting.filter((item) => !photoForms.has(item.id));
    if (missing.length > 0 && this.receipt) {
      try {
        const extra = await api.photoUploads(this.receipt, missing.length);
        for (const [index, item] of missing.entries()) {
          const form = extra.photoUploads[index];
          if (form) photoForms.set(item.id, form);
        }
      } catch {
        // Those photos are marked failed below; the tipster can try again.
      }
    }
    const ready = waiting.filter((item) => photoForms.has(item.id));
    for (const item of waiting.filter((candidate) => !photoForms.has(candidate.id))) {
      item.status = 'failed';
      item.error = m.photo_failed();
    }
    await this.photos.upload(
      ready,
      ready.map((item) => photoForms.get(item.id) as UploadForm),
      (item) => {
        if (!this.pending) return;
        this.pending = { ...this.pending, uploaded: [...this.pending.uploaded, item.id] };
        keep.savePending(this.pending);
      },
    );
    for (const item of this.photos.items) item.slot ??= slots[item.id];
    await this.#confirmArrivals();
  }

  /**
   * Asks the tip which photos were kept: on AWS a photo is checked after S3 took it, so a
   * photo that is not one is refused there, and the reason shows beside it.
   */
  async #confirmArrivals(): Promise<void> {
    const current = this.receipt;
    for (let round = 0; current && round < 6; round += 1) {
      if (round > 0) await this.#deps.wait(500 * 2 ** round);
      try {
        const tip = await this.#deps.api.lookup(current);
        if (!this.photos.reconcile(tip.photoSlots)) return;
      } catch {
        return; // The photos stay "sent"; the follow-up page shows what was kept.
      }
    }
  }

  /** Tries the failed photos again with their forms (valid for an hour), or new ones. */
  retryPhotos(): Promise<void> {
    return this.#uploadPhotos([]);
  }

  /** The tipster has saved the receipt: everything of this tip is forgotten. */
  finish(): void {
    this.#deps.kept.savePending(undefined);
    this.#deps.kept.saveDraft(undefined);
    this.pending = undefined;
    this.receipt = undefined;
    this.photos.clear();
    this.#photoForms.clear();
    this.position = undefined;
    this.locationNote = undefined;
    this.form = { ...emptyTipForm(), seenOn: this.today };
    this.phase = 'done';
    this.#deps.focus('done');
  }

  /** The waiting tip is not to be sent (the tipster confirmed): back to its form. */
  discard(): void {
    const tip = this.pending?.tip;
    this.#deps.kept.savePending(undefined);
    this.pending = undefined;
    if (tip) this.form = { ...fromCreateTip(tip), shareLocation: false };
    this.phase = 'editing';
  }

  /** Another tip, after one was done. */
  startAgain(): void {
    this.phase = 'editing';
    this.#deps.focus('report');
  }
}
