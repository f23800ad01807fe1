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

export interface DownloadOptions {
  /** The name the browser saves the file under. */
  fileName: string;
  expiresInSeconds: number;
}

/**
 * Content-Disposition for a download named `fileName`: an ASCII fallback, and the name
 * itself (Chinese included) as RFC 6266's filename*.
 */
export function downloadDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]+/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
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

export interface StoredFile {
  bytes: number;
}

/**
 * Files made on the server for one download (an export), kept where the blobs are (the
 * evidence bucket's exports/, the embedded cloud's blob folder), fetched by a signed link.
 */
export interface ExportFiles {
  /**
   * Writes a file from chunks as they arrive, never holding the whole of it; it appears
   * whole once complete, or not at all.
   */
  putStream(
    key: string,
    contentType: string,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<StoredFile>;
  /**
   * A short-lived URL that downloads the file, no sign-in needed: an S3 presigned GET, or
   * the embedded cloud's signed equivalent. Whoever holds it may read that one file.
   */
  downloadUrl(key: string, options: DownloadOptions): Promise<string>;
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

/** A stored blob as a listing names it: its key and when it was stored. */
export interface ListedBlob {
  key: string;
  storedAt: Date;
}

/**
 * The blobs under a prefix, in key order, with when each was stored: what a sweep reads
 * (S3 ListObjectsV2, page by page; the embedded cloud's folder). Nothing of their bytes.
 */
export interface BlobListing {
  list(prefix: string): AsyncIterable<ListedBlob>;
}
