import { rm } from 'node:fs/promises';
import { defaultDataDirectory } from './embedded-cloud.ts';

const directory = process.env.QINGLING_DATA_DIR ?? defaultDataDirectory;
await rm(directory, { recursive: true, force: true });
console.log(`Removed ${directory}: the next npm start begins with fresh demo data.`);
