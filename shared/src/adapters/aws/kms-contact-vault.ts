import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import type { ContactVault } from '../../ports/secrets.ts';

const prefix = 'kms1.';
/** Bound into every ciphertext: a key policy or grant can require it, and it must match. */
export const contactEncryptionContext = { purpose: 'tipster-contact' } as const;
/** KMS Encrypt takes at most 4096 bytes of plaintext. */
const maxPlaintextBytes = 4096;

/**
 * A tipster's contact sealed with a KMS key: the intake route may encrypt, and only a
 * role granted kms:Decrypt on the key (the reward officer's route) can open it. Sealed
 * strings are `kms1.` + the base64 ciphertext blob, which names the key itself.
 */
export class KmsContactVault implements ContactVault {
  private readonly keyId: string;
  private readonly client: KMSClient;

  constructor(options: { keyId: string; client?: KMSClient }) {
    if (!options.keyId) throw new Error('KmsContactVault needs a key id or ARN');
    this.keyId = options.keyId;
    this.client = options.client ?? new KMSClient({});
  }

  async seal(contact: string): Promise<string> {
    const plaintext = Buffer.from(contact, 'utf8');
    if (plaintext.length > maxPlaintextBytes) {
      throw new Error(`A contact may be at most ${maxPlaintextBytes} bytes`);
    }
    const { CiphertextBlob } = await this.client.send(
      new EncryptCommand({
        KeyId: this.keyId,
        Plaintext: plaintext,
        EncryptionContext: contactEncryptionContext,
      }),
    );
    if (!CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return `${prefix}${Buffer.from(CiphertextBlob).toString('base64')}`;
  }

  async open(sealed: string): Promise<string> {
    if (!sealed.startsWith(prefix) || sealed.length === prefix.length) {
      throw new Error('not a KMS sealed contact');
    }
    const { Plaintext } = await this.client.send(
      new DecryptCommand({
        // Named so that a ciphertext made under another key is refused, not decrypted.
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(sealed.slice(prefix.length), 'base64'),
        EncryptionContext: contactEncryptionContext,
      }),
    );
    if (!Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(Plaintext).toString('utf8');
  }
}
