/**
 * Where photos and evidence files live: S3 on AWS, a folder on the embedded cloud.
 * Uploads go straight from the browser with a short-lived signed form (an S3 presigned
 * POST, or its local equivalent) whose policy fixes the key, size range and content type.
 */
export interface UploadPolicy {
  key: string;
  /** Allowed content types, exact matches (e.g. image/jpeg). */
  contentTypes: readonly string[];
  maxBytes: number;
  expiresInSeconds: number;
}

export interface UploadForm {
  /** Where the browser POSTs a multipart/form-data body. */
  url: string;
  /** Fields to send before the file field (which must be last and be called "file"). */
  fields: Record<string, string>;
}

export interface StoredBlob {
  key: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface BlobStore {
  createUploadForm(policy: UploadPolicy): Promise<UploadForm>;
  get(key: string): Promise<StoredBlob | null>;
  put(blob: StoredBlob): Promise<void>;
  /**
   * Deletes a blob. Given the version an upload created (S3 tells it in the event), that
   * version itself is removed, so a versioned store keeps no copy of it behind.
   */
  delete(key: string, version?: string): Promise<void>;
}
