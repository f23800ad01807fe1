import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ReceiptKeys } from '../../ports/secrets.ts';

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The receipt key from a Secrets Manager secret whose value is base64 (CDK generates 64
 * characters of [A-Za-z0-9], which is valid base64 for 48 random bytes). Read once per
 * Lambda instance: the key never rotates, since a new key would orphan every receipt
 * already handed out. A failed read is not cached, so the next request tries again.
 */
export class SecretsManagerReceiptKeys implements ReceiptKeys {
  private readonly secretId: string;
  private readonly client: SecretsManagerClient;
  private key: Promise<Uint8Array> | undefined;

  constructor(options: { secretId: string; client?: SecretsManagerClient }) {
    if (!options.secretId) throw new Error('SecretsManagerReceiptKeys needs a secret id');
    this.secretId = options.secretId;
    this.client = options.client ?? new SecretsManagerClient({});
  }

  receiptKey(): Promise<Uint8Array> {
    this.key ??= this.load().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async load(): Promise<Uint8Array> {
    const secret = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const value = secret.SecretString?.trim();
    // The value itself is never put into an error message.
    if (!value || !base64.test(value) || value.length % 4 !== 0) {
      throw new Error(`The receipt key secret ${this.secretId} does not hold a base64 string`);
    }
    const key = new Uint8Array(Buffer.from(value, 'base64'));
    if (key.length < 32) {
      throw new Error(`The receipt key secret ${this.secretId} holds fewer than 32 bytes`);
    }
    return key;
  }
}
