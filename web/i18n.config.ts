/**
 * Paraglide compiler options, shared by scripts/compile-messages.ts (`vite build`,
 * `npm run check`, `npm start`) and Paraglide's Vite plugin (`vite dev`).
 *
 * Locale from the URL only: `/` is Chinese (base locale), `/en/` is English. Every page
 * therefore has one fixed language and can be prerendered once per language.
 */
export const i18nOptions = {
  project: './project.inlang',
  outdir: './src/lib/paraglide',
  strategy: ['url', 'baseLocale'],
  emitReadme: false,
  emitPrettierIgnore: false,
} as const;
