import { createHash, createHmac } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createS3Client, S3BlobStore } from './s3-blob-store.ts';
import { multipartPartBytes, S3ExportFiles } from './s3-export-files.ts';

// Presigning needs only credentials and a region; nothing is sent.
const client = new S3Client({
  region: 'cn-northwest-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const s3 = mockClient(client);
const store = new S3BlobStore({ bucket: 'evidence', client });
const exportFiles = new S3ExportFiles({ bucket: 'evidence', client });
const now = new Date('2026-11-22T08:00:00.000Z');

beforeEach(() => {
  s3.reset();
  vi.useFakeTimers({ now, toFake: ['Date'] });
});
afterEach(() => vi.useRealTimers());

const photo = {
  key: 'incoming/tips/t1/p1',
  contentTypes: ['image/jpeg'],
  maxBytes: 8 * 1024 * 1024,
  expiresInSeconds: 600,
};

function decodedPolicy(fields: Record<string, string>) {
  return JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };
}

const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    message: name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });

describe('createS3Client', () => {
  it('adds request checksums only when an operation requires one (presigning pitfall)', async () => {
    const created = createS3Client();
    expect(await created.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
  });
});

describe('S3BlobStore.createUploadForm', () => {
  it('signs a POST policy that pins key, size range and the one content type', async () => {
    const form = await store.createUploadForm(photo);
    expect(form.url).toBe('https://evidence.s3.cn-northwest-1.amazonaws.com.cn/');
    expect(form.fields).toMatchObject({
      key: 'incoming/tips/t1/p1',
      'Content-Type': 'image/jpeg',
      bucket: 'evidence',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261122/cn-northwest-1/s3/aws4_request',
      'X-Amz-Date': '20261122T080000Z',
      'X-Amz-Security-Token': 'token',
    });
    expect(form.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
    const policy = decodedPolicy(form.fields);
    expect(policy.expiration).toBe('2026-11-22T08:10:00Z');
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 8 * 1024 * 1024],
        ['eq', '$key', 'incoming/tips/t1/p1'],
        ['eq', '$Content-Type', 'image/jpeg'],
      ]),
    );
    expect(JSON.stringify(policy.conditions)).not.toContain('starts-with');
    // Presigned POSTs never go through the client's middleware.
    expect(s3.calls()).toHaveLength(0);
  });

  it('allows several types of one kind by prefix, and leaves Content-Type to the browser', async () => {
    const form = await store.createUploadForm({
      ...photo,
      contentTypes: ['image/jpeg', 'image/png', 'image/webp'],
    });
    expect(form.fields).not.toHaveProperty('Content-Type');
    const { conditions } = decodedPolicy(form.fields);
    expect(conditions).toContainEqual(['starts-with', '$Content-Type', 'image/']);
    expect(JSON.stringify(conditions)).not.toContain('"eq","$Content-Type"');
  });

  it('refuses policies it cannot express or that make no sense', async () => {
    await expect(
      store.createUploadForm({ ...photo, contentTypes: ['image/jpeg', 'application/pdf'] }),
    ).rejects.toThrow(/without allowing any type/);
    await expect(store.createUploadForm({ ...photo, contentTypes: [] })).rejects.toThrow(
      /at least one content type/,
    );
    await expect(store.createUploadForm({ ...photo, maxBytes: 0 })).rejects.toThrow(/maxBytes/);
    await expect(store.createUploadForm({ ...photo, key: '' })).rejects.toThrow(/key/);
  });

  it('fails when there are no credentials to sign with', async () => {
    const unsigned = new S3Client({
      region: 'cn-north-1',
      credentials: () => Promise.reject(new Error('no credentials')),
    });
    await expect(
      new S3BlobStore({ bucket: 'evidence', client: unsigned }).createUploadForm(photo),
    ).rejects.toThrow('no credentials');
  });
});

describe('S3BlobStore get, put and delete', () => {
  it('reads an object with its content type', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff]);
    s3.on(GetObjectCommand, { Bucket: 'evidence', Key: 'tips/t1/p1.jpg' }).resolves({
      ContentType: 'image/jpeg',
      Body: { transformToByteArray: async () => bytes } as never,
    });
    expect(await store.get('tips/t1/p1.jpg')).toEqual({
      key: 'tips/t1/p1.jpg',
      contentType: 'image/jpeg',
      bytes,
    });
  });

  it('answers null for a missing key, as the local store does', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    expect(await store.get('tips/t1/none.jpg')).toBeNull();
  });

  it('lets other errors through (a 403 is not a missing key)', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(store.get('tips/t1/p1.jpg')).rejects.toThrow('AccessDenied');
  });

  it('puts an object with its content type', async () => {
    s3.on(PutObjectCommand).resolves({});
    const bytes = new Uint8Array([1, 2, 3]);
    await store.put({ key: 'tips/t1/p1.jpg', contentType: 'image/jpeg', bytes });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'evidence',
      Key: 'tips/t1/p1.jpg',
      Body: bytes,
      ContentType: 'image/jpeg',
    });
  });

  it('fails a put loudly', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('SlowDown', 503));
    await expect(
      store.put({ key: 'tips/t1/p1.jpg', contentType: 'image/jpeg', bytes: new Uint8Array(1) }),
    ).rejects.toThrow('SlowDown');
  });

  it('deletes by key, and fails a refused delete loudly', async () => {
    s3.on(DeleteObjectCommand).resolvesOnce({}).rejects(s3Error('AccessDenied', 403));
    await store.delete('incoming/tips/t1/p1');
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'evidence',
      Key: 'incoming/tips/t1/p1',
    });
    await expect(store.delete('incoming/tips/t1/p1')).rejects.toThrow('AccessDenied');
  });

  it('needs a bucket', () => {
    expect(() => new S3BlobStore({ bucket: '' })).toThrow(/bucket/);
  });
});

async function* chunksOf(sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  for (const [index, size] of sizes.entries()) yield new Uint8Array(size).fill(index + 1);
}

describe('S3ExportFiles.putStream', () => {
  const ledger = 'exports/hazard-ledger/cq-gecheng/e1.xlsx';
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

  it('puts what stays under one part in one PutObject', async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(await exportFiles.putStream(ledger, xlsx, chunksOf([10, 20]))).toEqual({ bytes: 30 });
    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ Bucket: 'evidence', Key: ledger, ContentType: xlsx });
    expect((input?.Body as Uint8Array | undefined)?.byteLength).toBe(30);
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it('uploads a larger file in parts of at least 5 MiB, holding one part at a time', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({
      ETag: `"e${input.PartNumber}"`,
    }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const half = multipartPartBytes / 2;
    const result = await exportFiles.putStream(ledger, xlsx, chunksOf([half, half, half, half, 7]));
    expect(result).toEqual({ bytes: 2 * multipartPartBytes + 7 });
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'evidence',
      Key: ledger,
      ContentType: xlsx,
    });
    const parts = s3.commandCalls(UploadPartCommand).map((call) => call.args[0].input);
    expect(parts.map((part) => [part.PartNumber, (part.Body as Uint8Array).byteLength])).toEqual([
      [1, multipartPartBytes],
      [2, multipartPartBytes],
      [3, 7],
    ]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'evidence',
      Key: ledger,
      UploadId: 'u1',
      MultipartUpload: {
        Parts: [
          { ETag: '"e1"', PartNumber: 1 },
          { ETag: '"e2"', PartNumber: 2 },
          { ETag: '"e3"', PartNumber: 3 },
        ],
      },
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('aborts the upload when the file cannot be finished: no partial object is left', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u2' });
    s3.on(UploadPartCommand).resolves({ ETag: '"e"' });
    s3.on(AbortMultipartUploadCommand).resolves({});
    async function* failing() {
      yield new Uint8Array(multipartPartBytes);
      throw new Error('the ledger could not be read');
    }
    await expect(exportFiles.putStream(ledger, xlsx, failing())).rejects.toThrow(
      'could not be read',
    );
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'evidence',
      Key: ledger,
      UploadId: 'u2',
    });
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });
});

const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

describe('S3ExportFiles.downloadUrl', () => {
  it('presigns a GET of the one key, named for the download, valid for the time asked', async () => {
    const url = new URL(
      await exportFiles.downloadUrl('exports/hazard-ledger/cq-gecheng/e1.xlsx', {
        fileName: '隐患排查治理台账-cq-gecheng-2026-11-22.xlsx',
        expiresInSeconds: 900,
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://evidence.s3.cn-northwest-1.amazonaws.com.cn/exports/hazard-ledger/cq-gecheng/e1.xlsx',
    );
    const query = url.searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261122/cn-northwest-1/s3/aws4_request',
      'X-Amz-Date': '20261122T080000Z',
      'X-Amz-Expires': '900',
      'X-Amz-Security-Token': 'token',
      'X-Amz-SignedHeaders': 'host',
      'response-content-disposition':
        'attachment; filename="_-cq-gecheng-2026-11-22.xlsx"; ' +
        `filename*=UTF-8''${encodeURIComponent('隐患排查治理台账-cq-gecheng-2026-11-22.xlsx')}`,
    });
    // The signature, recomputed by SigV4's rules from the URL alone (as S3 checks it).
    const signed = [...query.entries()]
      .filter(([name]) => name !== 'X-Amz-Signature')
      .map(([name, value]) => [rfc3986(name), rfc3986(value)])
      .sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const canonical = [
      'GET',
      url.pathname,
      signed,
      `host:${url.host}`,
      '',
      'host',
      'UNSIGNED-PAYLOAD',
    ].join('\n');
    const scope = '20261122/cn-northwest-1/s3/aws4_request';
    const toSign = [
      'AWS4-HMAC-SHA256',
      '20261122T080000Z',
      scope,
      createHash('sha256').update(canonical).digest('hex'),
    ].join('\n');
    let key: Buffer = hmac('AWS4secret', '20261122');
    for (const part of ['cn-northwest-1', 's3', 'aws4_request']) key = hmac(key, part);
    expect(query.get('X-Amz-Signature')).toBe(hmac(key, toSign).toString('hex'));
  });
});

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
