import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BlobDigests, BlobReadUrls } from '../../ports/blob-store.ts';
import { createS3Client } from './s3-blob-store.ts';

/**
 * Presigned GETs of the evidence bucket. A class apart from S3BlobStore (whose methods
 * every function that stores a blob bundles): only the functions that show photos carry
 * it (every Lambda bundle is held to 150 KiB).
 */
export class S3ReadUrls implements BlobReadUrls {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: { bucket: string; client?: S3Client }) {
    if (!options.bucket) throw new Error('S3ReadUrls needs a bucket name');
    this.bucket = options.bucket;
    this.client = options.client ?? createS3Client();
  }

  /** A presigned GET (query-string SigV4, virtual-hosted style) for one key. */
  async createReadUrl(key: string, expiresInSeconds: number): Promise<string> {
    const region = await this.client.config.region();
    // The client's own signer class (SigV4, as S3 signs its requests): no second copy of
    // it in the bundle, and no @aws-sdk/s3-request-presigner among the dependencies.
    const Signer = (this.client.config as unknown as { signerConstructor: PresignerClass })
      .signerConstructor;
    const signer = new Signer({
      service: 's3',
      region,
      credentials: this.client.config.credentials,
      sha256: this.client.config.sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    // China's regions (cn-north-1, cn-northwest-1) answer under amazonaws.com.cn.
    const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    const hostname = `${this.bucket}.s3.${region}.${domain}`;
    const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
    // S3 checks a presigned request against UNSIGNED-PAYLOAD, as @aws-sdk/s3-request-presigner
    // tells the signer (else it signs an empty body's hash, which S3 refuses).
    const signed = await signer.presign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname,
        path,
        headers: { host: hostname, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        query: {},
      },
      { expiresIn: expiresInSeconds, unsignableHeaders: new Set() },
    );
    // A presigned request's query holds single strings only (the X-Amz-* parameters).
    const query = new URLSearchParams(signed.query as Record<string, string>);
    return `https://${hostname}${path}?${query}`;
  }
}

/**
 * Hashes of stored photos, for the events that name them: a class apart from S3BlobStore
 * for the same reason (recording a hazard reads its photos, and stores nothing).
 */
export class S3BlobDigests implements BlobDigests {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: { bucket: string; client?: S3Client }) {
    this.bucket = options.bucket;
    this.client = options.client ?? createS3Client();
  }

  async sha256Of(key: string): Promise<string | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
      return createHash('sha256').update(bytes).digest('hex');
    } catch (error) {
      // NoSuchKey: the caller may list the bucket (hazardEvidence grants it), so not 403.
      if ((error as Error).name === 'NoSuchKey') return null;
      throw error;
    }
  }
}

type PresignerClass = new (options: {
  service: string;
  region: string;
  credentials: unknown;
  sha256: unknown;
  uriEscapePath: boolean;
  applyChecksum: boolean;
}) => {
  presign(
    request: {
      method: string;
      protocol: string;
      hostname: string;
      path: string;
      headers: Record<string, string>;
      query: Record<string, string>;
    },
    options: { expiresIn: number; unsignableHeaders?: Set<string> },
  ): Promise<{ query?: Record<string, string | string[] | null> }>;
};
