import { rm } from 'node:fs/promises';
import { runningInstance } from './instance-lock.ts';
import { defaultDataDirectory } from './paths.ts';

const directory = process.env.QINGLING_DATA_DIR ?? defaultDataDirectory;
const running = runningInstance(directory);
if (running) {
  console.error(
    `Qingling is running (process ${running}) on this data: stop it first (Ctrl-C), then reset.`,
  );
  process.exit(1);
}
await rm(directory, { recursive: true, force: true });
console.log(`Removed ${directory}: the next npm start begins with fresh demo data.`);
