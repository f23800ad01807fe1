import { industries } from '#lib/tips/industries.server.ts';

// Prerendered with the industry list in the page; the form itself needs JavaScript to send.
export const load = () => ({ industries });
