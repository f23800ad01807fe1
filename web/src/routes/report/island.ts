import { hydrate } from 'svelte';
import type { Industry } from '#lib/tips/contract.ts';
import ReportForm from './ReportForm.svelte';

/**
 * The report page's JavaScript: hydrates the form +page.svelte rendered, and nothing else.
 * The page needs none of SvelteKit's client (about 20 KB gzipped): it has no navigation
 * inside the app (each language is a page of its own, and its links load pages), and the
 * rest of the page is plain HTML, as on the home page. See +page.server.ts.
 */
const target = document.getElementById('report-form');
if (target) {
  const props = JSON.parse(target.dataset.props ?? '{}') as { industries: Industry[] };
  hydrate(ReportForm, { target, props });
}
