import taxonomy from '@qingling/shared/data/taxonomy.json';
import type { Industry } from './contract.ts';

/**
 * The industries of the taxonomy (codes and names only), read at build time: prerendering
 * writes them into the page, so the browser never loads taxonomy.json. There is no taxonomy
 * API yet; when there is, a jurisdiction's own list can replace this.
 */
export const industries: Industry[] = taxonomy.industries.map(({ code, zh, en }) => ({
  code,
  zh,
  en,
}));
