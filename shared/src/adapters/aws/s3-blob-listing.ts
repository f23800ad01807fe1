import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { BlobListing, ListedBlob } from '../../ports/blob-store.ts';
import { createS3Client } from './s3-blob-store.ts';

/**
 * The evidence bucket's keys under a prefix, with their LastModified, a page of a thousand
 * at a time (ListObjectsV2 lists in key order). A class of its own: only the sweep lists.
 */
export class S3BlobListing implements BlobListing {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: { bucket: string; client?: S3Client }) {
    this.bucket = options.bucket;
    this.client = options.client ?? createS3Client();
  }

  async *list(prefix: string): AsyncIterable<ListedBlob> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && object.LastModified) {
          yield { key: object.Key, storedAt: object.LastModified };
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
