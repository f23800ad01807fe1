import { createHash, createHmac } from 'node:crypto';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3BlobDigests, S3ReadUrls } from './s3-evidence-reads.ts';

// Presigning needs only credentials and a region; nothing is sent.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'tok' };
const client = new S3Client({
  region: 'cn-northwest-1',
  credentials,
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const s3 = mockClient(client);
const now = new Date('2026-11-22T08:00:00.000Z');

beforeEach(() => {
  s3.reset();
  vi.useFakeTimers({ now, toFake: ['Date'] });
});
afterEach(() => vi.useRealTimers());

const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

/** SigV4 of a presigned GET, computed here from the specification, not by the SDK. */
function expectedSignature(url: URL): string {
  const query = [...url.searchParams.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .sort()
    .join('&');
  const canonical = ['GET', url.pathname, query, `host:${url.host}\n`, 'host', 'UNSIGNED-PAYLOAD'];
  const date = url.searchParams.get('X-Amz-Date') ?? '';
  const scope = `${date.slice(0, 8)}/cn-northwest-1/s3/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonical.join('\n')).digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date.slice(0, 8));
  for (const part of ['cn-northwest-1', 's3', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('S3ReadUrls', () => {
  it('presigns a GET of one key, for the given seconds, under the China partition', async () => {
    const urls = new S3ReadUrls({ bucket: 'evidence', client });
    const key = 'evidence/bcdefghijklmnopqrstuvwxyza/0f8fad5b-d9cb-469f-a165-70867728950e';
    const url = new URL(await urls.createReadUrl(key, 300));
    expect(url.origin).toBe('https://evidence.s3.cn-northwest-1.amazonaws.com.cn');
    expect(url.pathname).toBe(`/${key}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261122T080000Z');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('tok');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url));
  });
});

describe('S3BlobDigests', () => {
  it('hashes the stored bytes, and answers null for a missing key', async () => {
    const digests = new S3BlobDigests({ bucket: 'evidence', client });
    const bytes = new TextEncoder().encode('cleaned photo');
    s3.on(GetObjectCommand, { Key: 'evidence/a/b' }).resolves({
      Body: { transformToByteArray: async () => bytes } as never,
    });
    s3.on(GetObjectCommand, { Key: 'evidence/a/none' }).rejects(
      new NoSuchKey({ message: 'none', $metadata: {} }),
    );
    expect(await digests.sha256Of('evidence/a/b')).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );
    expect(await digests.sha256Of('evidence/a/none')).toBeNull();
  });
});
