import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the embedded cloud finds the repository, its built web app and its data. */
export const repositoryRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const defaultWebRoot = join(repositoryRoot, 'web/build');
export const defaultDataDirectory = join(repositoryRoot, '.data');
