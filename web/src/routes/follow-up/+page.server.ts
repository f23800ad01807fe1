import { industries } from '#lib/tips/industries.server.ts';

// Prerendered; industry names turn the codes of a looked-up tip into words.
export const load = () => ({ industries });
