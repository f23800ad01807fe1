import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One embedded cloud per data folder: LevelDB allows one process, and `npm run reset`
 * must not pull the data from under a running system. A pid file says who holds it; a
 * file left by a kill -9 is stale when that process is gone or is not Qingling.
 */
const lockFile = (dataDirectory: string) => join(dataDirectory, 'qingling.pid');

export function runningInstance(dataDirectory: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile(dataDirectory), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('infra/local/src/main.ts') ? pid : null;
  } catch {
    return null;
  }
}

export function holdInstanceLock(dataDirectory: string): () => void {
  writeFileSync(lockFile(dataDirectory), String(process.pid));
  return () => rmSync(lockFile(dataDirectory), { force: true });
}
