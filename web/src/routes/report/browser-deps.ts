import { request, withRetry } from '#lib/api.ts';
import type {
  CreateTipBody,
  JurisdictionChoice,
  PhotoUploads,
  TipCreated,
  TipForTipster,
} from '#lib/tips/contract.ts';
import { todayInChina } from '#lib/tips/dates.ts';
import { currentPosition } from '#lib/tips/geo.ts';
import { loadDraft, loadPending, saveDraft, savePending } from '#lib/tips/kept-tip.ts';
import type { ReportApi, ReportDeps } from './report-flow.svelte.ts';

/** The API over the network: each call tried again after a lost connection or a 5xx. */
export const reportApi: ReportApi = {
  jurisdictions: () =>
    withRetry(() => request<{ jurisdictions: JurisdictionChoice[] }>('/api/jurisdictions'), {
      tries: 3,
    }),
  createTip: (tip: CreateTipBody) =>
    withRetry(() => request<TipCreated>('/api/tips', { body: tip })),
  photoUploads: (receipt, count) =>
    withRetry(() => request<PhotoUploads>('/api/tips/photo-uploads', { body: { receipt, count } })),
  lookup: (receipt) => request<TipForTipster>('/api/tips/lookup', { body: { receipt } }),
};

/** The report flow's world in a browser: the page gives its photos, panel and focus. */
export const browserDeps = <Panel>(
  page: Pick<ReportDeps<Panel>, 'photos' | 'loadPanel' | 'focus'>,
): ReportDeps<Panel> => ({
  ...page,
  api: reportApi,
  kept: { loadDraft, saveDraft, loadPending, savePending },
  today: () => todayInChina(),
  online: () => navigator.onLine,
  locate: () => currentPosition().then((position) => position.coords),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  newKey: () => crypto.randomUUID(),
});
