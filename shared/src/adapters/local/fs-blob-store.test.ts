import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemBlobStore, UploadRefused } from './fs-blob-store.ts';

let folder: string;
let now: Date;
let store: FileSystemBlobStore;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'qingling-fs-blob-'));
  now = new Date('2026-12-03T06:00:00.000Z');
  store = new FileSystemBlobStore({
    root: folder,
    uploadUrl: 'http://127.0.0.1:8080/_local/uploads',
    secret: Buffer.alloc(32, 7),
    clock: { now: () => now },
  });
});
afterEach(() => rm(folder, { recursive: true, force: true }));

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

const key = 'exports/hazard-ledger/cq-gecheng/e1.csv';
const options = { fileName: '隐患排查治理台账-cq-gecheng-2026-12-03.csv', expiresInSeconds: 900 };

describe('FileSystemBlobStore as the export files', () => {
  it('writes a streamed file, then serves it by its signed link, named for the download', async () => {
    expect(
      await store.putStream(key, 'text/csv; charset=utf-8', chunks('a,b\r\n', '1,2\r\n')),
    ).toEqual({
      bytes: 10,
    });
    const url = new URL(await store.downloadUrl(key, options));
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:8080/_local/downloads');
    const download = await store.openDownload(url.searchParams);
    expect(download.contentType).toBe('text/csv; charset=utf-8');
    expect(download.bytes).toBe(10);
    expect(download.disposition).toContain(
      `filename*=UTF-8''${encodeURIComponent(options.fileName)}`,
    );
    expect(await text(download.body)).toBe('a,b\r\n1,2\r\n');
  });

  it('refuses a link that was changed or has expired', async () => {
    await store.putStream(key, 'text/csv', chunks('x'));
    const url = new URL(await store.downloadUrl(key, options));
    const renamed = new URLSearchParams(url.searchParams);
    renamed.set('name', 'other.csv');
    await expect(store.openDownload(renamed)).rejects.toMatchObject({
      status: 403,
      code: 'download_link_invalid',
    });
    now = new Date(now.getTime() + 900_000);
    await expect(store.openDownload(url.searchParams)).rejects.toBeInstanceOf(UploadRefused);
  });

  it('leaves nothing behind when the file cannot be finished', async () => {
    async function* failing() {
      yield Buffer.from('half a file');
      throw new Error('the ledger could not be read');
    }
    await expect(store.putStream(key, 'text/csv', failing())).rejects.toThrow('could not be read');
    expect(await readdir(join(folder, 'exports/hazard-ledger/cq-gecheng'))).toEqual([]);
    expect(await store.get(key)).toBeNull();
  });
});
