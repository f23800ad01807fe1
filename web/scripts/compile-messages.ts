// Compiles the messages once, as the Vite plugin does during a build, so that
// `svelte-check` can run on a fresh checkout where src/lib/paraglide does not exist yet.
import { compile } from '@inlang/paraglide-js';
import { i18nOptions } from '../i18n.config.ts';

await compile({ ...i18nOptions, strategy: [...i18nOptions.strategy] });
