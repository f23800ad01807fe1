import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createS3Client, S3BlobStore } from './s3-blob-store.ts';

// Presigning needs only credentials and a region; nothing is sent.
const client = new S3Client({
  region: 'cn-northwest-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const s3 = mockClient(client);
const store = new S3BlobStore({ bucket: 'evidence', client });
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
