import {
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Bilingual } from '../../i18n/text.ts';
import {
  type BlobDigests,
  type BlobListing,
  type BlobReadUrls,
  type BlobStore,
  type DownloadOptions,
  downloadDisposition,
  type ExportFiles,
  type ListedBlob,
  type StoredBlob,
  type UploadForm,
  type UploadPolicy,
} from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';

/** The signed policy of a local upload form: what S3's presigned POST policy pins down. */
interface SignedPolicy {
  key: string;
  contentTypes: readonly string[];
  maxBytes: number;
  expiresAt: string;
}

export class UploadRefused extends Error {
  readonly status: number;
  readonly code: string;
  readonly text: Bilingual;
  constructor(status: number, code: string, text: Bilingual) {
    super(text.en);
    this.status = status;
    this.code = code;
    this.text = text;
  }
}

const refuse = {
  badPolicy: () =>
    new UploadRefused(403, 'upload_policy_invalid', {
      zh: '上传凭证无效，请重新获取。',
      en: 'The upload form is not valid; ask for a new one.',
    }),
  expired: () =>
    new UploadRefused(403, 'upload_policy_expired', {
      zh: '上传凭证已过期，请重新获取。',
      en: 'The upload form has expired; ask for a new one.',
    }),
  tooLarge: (maxBytes: number) =>
    new UploadRefused(413, 'upload_too_large', {
      zh: `文件过大，最大允许 ${formatBytes(maxBytes)}。`,
      en: `The file is too large; at most ${formatBytes(maxBytes)} is allowed.`,
    }),
  empty: () =>
    new UploadRefused(400, 'upload_empty', { zh: '文件是空的。', en: 'The file is empty.' }),
  used: () =>
    new UploadRefused(409, 'upload_form_used', {
      zh: '该上传凭证已经用过，每张照片只能上传一次。如需添加照片，请重新获取。',
      en: 'This upload form has been used already: each takes one photo. Ask for a new one to add photos.',
    }),
  badDownload: () =>
    new UploadRefused(403, 'download_link_invalid', {
      zh: '下载链接无效或已过期，请重新导出。',
      en: 'The download link is not valid or has expired; export again.',
    }),
  noDownload: () =>
    new UploadRefused(404, 'download_not_found', {
      zh: '要下载的文件不存在。',
      en: 'The file to download does not exist.',
    }),
  wrongType: (allowed: readonly string[]) =>
    new UploadRefused(415, 'upload_type_not_allowed', {
      zh: `不支持该文件类型，只接受：${allowed.join('、')}。`,
      en: `This type of file is not accepted; allowed: ${allowed.join(', ')}.`,
    }),
};

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : `${bytes} B`;
}

/**
 * Blob store on the filesystem for the embedded cloud. Its upload forms are signed with a
 * secret the way S3 signs a presigned POST policy, and `acceptUpload` enforces the same
 * conditions S3 does (key, content-length-range, Content-Type, expiry) before anything is
 * written; files are written to a temporary name and renamed, so a failed upload leaves
 * nothing behind. A form is single-use: whoever holds it cannot replace what was uploaded
 * with it (on S3, where a form can be posted again, the photo processor keeps the first).
 */
export class FileSystemBlobStore
  implements BlobStore, ExportFiles, BlobReadUrls, BlobDigests, BlobListing
{
  private readonly root: string;
  private readonly uploadUrl: string;
  private readonly downloadBase: string;
  /** Prepared once: preparing the key was most of each form's signing (issue 13). */
  private readonly secret: KeyObject;
  private readonly clock: Clock;

  constructor(options: {
    root: string;
    uploadUrl: string;
    /** Where signed download links point (S3's presigned GET); beside the upload target. */
    downloadUrl?: string;
    secret: Buffer;
    clock: Clock;
  }) {
    this.root = resolve(options.root);
    this.uploadUrl = options.uploadUrl;
    this.downloadBase = options.downloadUrl ?? options.uploadUrl.replace(/uploads$/, 'downloads');
    this.secret = createSecretKey(options.secret);
    this.clock = options.clock;
  }

  async createUploadForm(policy: UploadPolicy): Promise<UploadForm> {
    this.pathOf(policy.key); // refuses keys that would leave the root
    const signed: SignedPolicy = {
      key: policy.key,
      contentTypes: policy.contentTypes,
      maxBytes: policy.maxBytes,
      expiresAt: new Date(
        this.clock.now().getTime() + policy.expiresInSeconds * 1000,
      ).toISOString(),
    };
    const encoded = Buffer.from(JSON.stringify(signed)).toString('base64url');
    return {
      url: this.uploadUrl,
      fields: { key: policy.key, policy: encoded, signature: this.sign(encoded) },
    };
  }

  /** The local upload endpoint's work: check the form against its policy, then store. */
  async acceptUpload(form: {
    fields: Record<string, string>;
    file: { contentType: string; bytes: Uint8Array } | null;
  }): Promise<{ key: string }> {
    const policy = this.verifyPolicy(form.fields);
    if (!form.file) throw refuse.empty();
    const contentType = form.fields['Content-Type'] ?? form.file.contentType;
    if (!policy.contentTypes.includes(contentType)) throw refuse.wrongType(policy.contentTypes);
    if (form.file.bytes.byteLength === 0) throw refuse.empty();
    if (form.file.bytes.byteLength > policy.maxBytes) throw refuse.tooLarge(policy.maxBytes);
    await this.claimForm(form.fields.signature ?? '');
    await this.put({ key: policy.key, contentType, bytes: form.file.bytes });
    return { key: policy.key };
  }

  async createReadUrl(key: string, expiresInSeconds: number): Promise<string> {
    this.pathOf(key);
    const expiresAt = new Date(this.clock.now().getTime() + expiresInSeconds * 1000).toISOString();
    const query = new URLSearchParams({ key, expires: expiresAt });
    query.set('signature', this.sign(`read\n${key}\n${expiresAt}`));
    return `${this.uploadUrl.replace(/\/uploads$/, '/blobs')}?${query}`;
  }

  /** The local read endpoint's work: the blob a signed read URL names, if still valid. */
  async readSigned(query: URLSearchParams): Promise<StoredBlob | null> {
    const key = query.get('key') ?? '';
    const expiresAt = query.get('expires') ?? '';
    const expected = Buffer.from(this.sign(`read\n${key}\n${expiresAt}`));
    const given = Buffer.from(query.get('signature') ?? '');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    if (!(Date.parse(expiresAt) > this.clock.now().getTime())) return null;
    return this.get(key);
  }

  async sha256Of(key: string): Promise<string | null> {
    const blob = await this.get(key);
    return blob ? createHash('sha256').update(blob.bytes).digest('hex') : null;
  }

  async get(key: string): Promise<StoredBlob | null> {
    const path = this.pathOf(key);
    try {
      const [bytes, meta] = await Promise.all([readFile(path), readFile(`${path}.meta.json`)]);
      const { contentType } = JSON.parse(meta.toString('utf8')) as { contentType: string };
      return { key, contentType, bytes: new Uint8Array(bytes) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async put(blob: StoredBlob): Promise<void> {
    const path = this.pathOf(blob.key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.partial`;
    // When it was stored, by the cloud's clock (S3's LastModified): what sweeps go by.
    const storedAt = this.clock.now().toISOString();
    await writeFile(
      `${temporary}.meta`,
      JSON.stringify({ contentType: blob.contentType, storedAt }),
    );
    await writeFile(temporary, blob.bytes);
    await rename(`${temporary}.meta`, `${path}.meta.json`);
    await rename(temporary, path);
  }

  async putStream(
    key: string,
    contentType: string,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<{ bytes: number }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.partial`;
    try {
      await pipeline(Readable.from(chunks), createWriteStream(temporary));
      await writeFile(`${temporary}.meta`, JSON.stringify({ contentType }));
      await rename(`${temporary}.meta`, `${path}.meta.json`);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      await rm(`${temporary}.meta`, { force: true });
      throw error;
    }
    return { bytes: (await stat(path)).size };
  }

  async downloadUrl(key: string, options: DownloadOptions): Promise<string> {
    this.pathOf(key);
    const expires = String(
      Math.floor(this.clock.now().getTime() / 1000) + options.expiresInSeconds,
    );
    const query = new URLSearchParams({ key, name: options.fileName, expires });
    query.set('signature', this.sign(`download\n${key}\n${options.fileName}\n${expires}`));
    return `${this.downloadBase}?${query}`;
  }

  /**
   * The local download endpoint's work: the link's signature and expiry checked as S3
   * checks a presigned GET's, then the file as a stream, never read whole.
   */
  async openDownload(query: URLSearchParams): Promise<{
    contentType: string;
    disposition: string;
    bytes: number;
    body: Readable;
  }> {
    const [key, name, expires, signature] = ['key', 'name', 'expires', 'signature'].map(
      (field) => query.get(field) ?? '',
    );
    if (!key || !name || !expires || !signature) throw refuse.badDownload();
    const expected = Buffer.from(this.sign(`download\n${key}\n${name}\n${expires}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw refuse.badDownload();
    }
    if (Number(expires) * 1000 <= this.clock.now().getTime()) throw refuse.badDownload();
    const path = this.pathOf(key);
    try {
      const [meta, info] = await Promise.all([readFile(`${path}.meta.json`), stat(path)]);
      const { contentType } = JSON.parse(meta.toString('utf8')) as { contentType: string };
      return {
        contentType,
        disposition: downloadDisposition(name),
        bytes: info.size,
        body: createReadStream(path),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw refuse.noDownload();
      throw error;
    }
  }

  /**
   * The blobs under a prefix in key order, each with when it was stored (its metadata's
   * storedAt; the file's time for one stored before that was kept). Half-written files and
   * the used forms' markers are not blobs.
   */
  async *list(prefix: string): AsyncIterable<ListedBlob> {
    const folder = this.pathOf(prefix.replace(/\/$/, ''));
    let names: string[];
    try {
      names = await readdir(folder, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const keys = names
      .filter((name) => name.endsWith('.meta.json') && !name.includes('.partial'))
      .map((name) => `${prefix.replace(/\/$/, '')}/${name.slice(0, -'.meta.json'.length)}`)
      .map((key) => key.split(sep).join('/'))
      .sort();
    for (const key of keys) {
      const path = this.pathOf(key);
      try {
        const meta = JSON.parse(await readFile(`${path}.meta.json`, 'utf8')) as {
          storedAt?: string;
        };
        const storedAt = meta.storedAt ? new Date(meta.storedAt) : (await stat(path)).mtime;
        yield { key, storedAt };
      } catch (error) {
        // Deleted since the folder was read: no longer there to list.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await rm(`${path}.meta.json`, { force: true });
  }

  /** Largest upload any policy can allow: the endpoint stops reading a body beyond it. */
  static readonly hardLimitBytes = 25 * 1024 * 1024;

  private verifyPolicy(fields: Record<string, string>): SignedPolicy {
    const { policy: encoded, signature, key } = fields;
    if (!encoded || !signature || !key) throw refuse.badPolicy();
    const expected = Buffer.from(this.sign(encoded));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw refuse.badPolicy();
    }
    const policy = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as SignedPolicy;
    if (policy.key !== key) throw refuse.badPolicy();
    if (Date.parse(policy.expiresAt) <= this.clock.now().getTime()) throw refuse.expired();
    return policy;
  }

  /** Marks a valid form used, atomically (exclusive create): of two uploads, one wins. */
  private async claimForm(signature: string): Promise<void> {
    const marker = join(
      this.root,
      '.used-forms',
      createHash('sha256').update(signature).digest('hex'),
    );
    await mkdir(dirname(marker), { recursive: true });
    try {
      await writeFile(marker, '', { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw refuse.used();
      throw error;
    }
  }

  private sign(encodedPolicy: string): string {
    return createHmac('sha256', this.secret).update(encodedPolicy).digest('base64url');
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!key || key.includes('\0') || !path.startsWith(this.root + sep)) {
      throw new Error(`Blob key outside the store: ${key}`);
    }
    return join(path);
  }
}
