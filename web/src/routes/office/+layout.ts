// The office console is a client-side app behind sign-in: nothing to prerender, and the
// static host serves the fallback page (200.html) for these paths.
export const prerender = false;
export const ssr = false;
export const trailingSlash = 'never';
