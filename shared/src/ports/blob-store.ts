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

/**
 * Short-lived URLs that read one stored blob each (an S3 presigned GET): the browser shows
 * a photo without the API carrying its bytes, and a URL opens its one key only.
 */
export interface BlobReadUrls {
  createReadUrl(key: string, expiresInSeconds: number): Promise<string>;
}

/** The SHA-256 (hex) of a stored blob as it is now, or null when there is none. */
export interface BlobDigests {
  sha256Of(key: string): Promise<string | null>;
}
