// Public pages are prerendered, once per language (`/`, `/en/`), as directory indexes so that
// any static file server finds them. The office overrides this in office/+layout.ts.
export const prerender = true;
export const trailingSlash = 'always';
