import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { BlobStore, StoredBlob, UploadForm, UploadPolicy } from '../../ports/blob-store.ts';

type PolicyCondition = NonNullable<Parameters<typeof createPresignedPost>[1]['Conditions']>[number];

/**
 * An S3 client for blobs. Recent SDK versions add a CRC32 checksum (of an empty body, for
 * presigned requests) unless told to do so only when an operation requires one.
 */
export function createS3Client(): S3Client {
  return new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
}

/**
 * The evidence bucket behind the blob-store port. Upload forms are S3 presigned POSTs
 * whose policy pins the key, the size range (1 byte to maxBytes) and the content type.
 *
 * The form's fields mirror the embedded cloud's (FileSystemBlobStore): the browser posts
 * every field as given, then a `Content-Type` field if the form has none, then the file as
 * the last field, named "file". S3 takes the object's type from that field, not from the
 * file part's header.
 * - One allowed type: the form carries `Content-Type` itself, and the policy requires it
 *   exactly.
 * - Several types: the policy can only say "starts with" their shared major type (image/),
 *   so S3 accepts any image/* subtype where the local store accepts only the listed ones.
 *   The photo processor decodes every upload and refuses, on the tip's log, what is not a
 *   photo.
 * - A form can be posted again until it expires (S3 has no single-use policy): the photo
 *   processor keeps the first upload of a slot and deletes any later one.
 */
export class S3BlobStore implements BlobStore {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: { bucket: string; client?: S3Client }) {
    if (!options.bucket) throw new Error('S3BlobStore needs a bucket name');
    this.bucket = options.bucket;
    this.client = options.client ?? createS3Client();
  }

  async createUploadForm(policy: UploadPolicy): Promise<UploadForm> {
    if (!policy.key) throw new Error('An upload form needs a key');
    if (!Number.isInteger(policy.maxBytes) || policy.maxBytes < 1) {
      throw new Error(`An upload form needs maxBytes >= 1, got ${policy.maxBytes}`);
    }
    const conditions: PolicyCondition[] = [
      ['content-length-range', 1, policy.maxBytes],
      ['eq', '$key', policy.key],
    ];
    const fields: Record<string, string> = {};
    const [onlyType, ...otherTypes] = policy.contentTypes;
    if (!onlyType) throw new Error('An upload form needs at least one content type');
    if (otherTypes.length === 0) {
      conditions.push(['eq', '$Content-Type', onlyType]);
      fields['Content-Type'] = onlyType;
    } else {
      conditions.push(['starts-with', '$Content-Type', sharedMajorType(policy.contentTypes)]);
    }
    const form = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: policy.key,
      Conditions: conditions,
      Fields: fields,
      Expires: policy.expiresInSeconds,
    });
    return { url: form.url, fields: form.fields };
  }

  async get(key: string): Promise<StoredBlob | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      if (!object.Body) throw new Error(`S3 returned no body for ${key}`);
      return {
        key,
        contentType: object.ContentType ?? 'application/octet-stream',
        bytes: await object.Body.transformToByteArray(),
      };
    } catch (error) {
      // A missing key is NoSuchKey only for callers allowed s3:ListBucket (else 403).
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  async put(blob: StoredBlob): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: blob.key,
        Body: blob.bytes,
        ContentType: blob.contentType,
      }),
    );
  }

  async delete(key: string, version?: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({
        Bucket: this.bucket,
        Key: key,
        // The version itself, not a delete marker over it: the original is gone.
        ...(version ? { VersionId: version } : {}),
      }),
    );
  }
}

/** "image/" for image/jpeg + image/png; refuses types that share no major type. */
function sharedMajorType(contentTypes: readonly string[]): string {
  const majors = new Set(contentTypes.map((type) => type.split('/')[0]));
  const [major] = majors;
  if (majors.size !== 1 || !major) {
    throw new Error(
      `An S3 upload policy cannot allow ${contentTypes.join(', ')} without allowing any type`,
    );
  }
  return `${major}/`;
}
