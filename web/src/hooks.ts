import type { Reroute } from '@sveltejs/kit/hooks';
import { deLocalizeUrl } from '#lib/paraglide/runtime.js';

/** `/en/office` renders the route `/office`: the language lives in the URL, not in the routes. */
export const reroute: Reroute = ({ url }) => deLocalizeUrl(url).pathname;
