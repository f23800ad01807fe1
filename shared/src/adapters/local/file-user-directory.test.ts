import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DirectoryEntry } from '../../ports/user-directory.ts';
import { FileUserDirectory } from './file-user-directory.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

const demo = (username: string): DirectoryEntry => ({
  username,
  userId: `local:${username}`,
  name: username,
  roles: ['officer'],
  jurisdictions: ['cq-gecheng'],
  enabled: true,
});

async function directory() {
  const folder = await mkdtemp(join(tmpdir(), 'qingling-users-'));
  folders.push(folder);
  const path = join(folder, 'users.json');
  return {
    folder,
    path,
    users: new FileUserDirectory({ path, seed: () => [demo('a'), demo('b')] }),
  };
}

describe('the embedded cloud user directory', () => {
  it('fills the file once when the first sign-ins come at once', async () => {
    // The fresh-clone CI: two sign-ins at start both found no file, both wrote it through one
    // temporary name, and the second rename failed (500 on POST /auth/token).
    const { folder, path, users } = await directory();
    const found = await Promise.all(Array.from({ length: 20 }, () => users.get('a')));
    expect(found.map((user) => user?.username)).toEqual(Array(20).fill('a'));
    expect(JSON.parse(await readFile(path, 'utf8')).users).toHaveLength(2);
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps every change made at once, and reads them back after a restart', async () => {
    const { path, users } = await directory();
    await Promise.all(
      ['c', 'd', 'e'].map((username) =>
        users.create({
          username,
          name: username,
          roles: ['officer'],
          jurisdictions: ['cq-gecheng'],
        }),
      ),
    );
    const again = new FileUserDirectory({ path, seed: () => [] });
    expect((await again.all()).map((user) => user.username)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
