import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerReceiptKeys } from './secrets-manager-receipt-keys.ts';

const secrets = mockClient(SecretsManagerClient);
const secretId = 'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:receipt-AbCdEf';
// What CDK generates: 64 characters of [A-Za-z0-9], valid base64 for 48 bytes.
const generated = 'Q2hvbmdxaW5nR2VjaGVuZ0RvbmdtZW5TaGVxdVFpbmdsaW5nUmVjZWlwdEtleTAx';

beforeEach(() => secrets.reset());

const keys = () =>
  new SecretsManagerReceiptKeys({ secretId, client: new SecretsManagerClient({}) });

describe('SecretsManagerReceiptKeys', () => {
  it('decodes the base64 secret into the key bytes', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: secretId }).resolves({ SecretString: generated });
    const key = await keys().receiptKey();
    expect(key).toEqual(new Uint8Array(Buffer.from(generated, 'base64')));
    expect(key.length).toBe(48);
  });

  it('reads the secret once per instance, even for concurrent callers', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: generated });
    const receiptKeys = keys();
    const [first, second] = await Promise.all([receiptKeys.receiptKey(), receiptKeys.receiptKey()]);
    await receiptKeys.receiptKey();
    expect(first).toBe(second);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('does not cache a failure: the next call reads again', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} }))
      .resolves({ SecretString: generated });
    const receiptKeys = keys();
    await expect(receiptKeys.receiptKey()).rejects.toThrow('no such secret');
    expect((await receiptKeys.receiptKey()).length).toBe(48);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it.each([
    ['no string', {}],
    ['not base64', { SecretString: '{"key":"not base64!"}' }],
  ])('refuses a secret with %s, without echoing it', async (_name, value) => {
    secrets.on(GetSecretValueCommand).resolves(value);
    const error = await keys()
      .receiptKey()
      .catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/does not hold a base64 string/);
    expect((error as Error).message).not.toContain('not base64!');
  });

  it('refuses a key shorter than 32 bytes', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: Buffer.alloc(16, 7).toString('base64') });
    await expect(keys().receiptKey()).rejects.toThrow(/fewer than 32 bytes/);
  });

  it('needs a secret id', () => {
    expect(() => new SecretsManagerReceiptKeys({ secretId: '' })).toThrow(/secret id/);
  });
});
