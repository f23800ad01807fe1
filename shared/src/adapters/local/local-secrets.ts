import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ContactVault, ReceiptKeys } from '../../ports/secrets.ts';

/** Receipt key from a base64 value (the embedded cloud keeps it in .data/secrets.json). */
export class StaticReceiptKeys implements ReceiptKeys {
  private readonly key: Uint8Array;
  constructor(base64Key: string) {
    this.key = new Uint8Array(Buffer.from(base64Key, 'base64'));
    if (this.key.length < 32) throw new Error('the receipt key must be at least 32 bytes');
  }
  async receiptKey(): Promise<Uint8Array> {
    return this.key;
  }
}

/** AES-256-GCM with a local key: the embedded cloud's stand-in for a KMS key. */
export class LocalContactVault implements ContactVault {
  private readonly key: Buffer;
  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('the contact key must be 32 bytes');
  }

  async seal(contact: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(contact, 'utf8'), cipher.final()]);
    return `local1.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  async open(sealed: string): Promise<string> {
    const [version, payload] = sealed.split('.');
    if (version !== 'local1' || !payload) throw new Error('not a local sealed contact');
    const bytes = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}
