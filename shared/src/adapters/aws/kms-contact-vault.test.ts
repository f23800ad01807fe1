import {
  DecryptCommand,
  EncryptCommand,
  InvalidCiphertextException,
  KMSClient,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsContactVault } from './kms-contact-vault.ts';

const kms = mockClient(KMSClient);
const keyId = 'arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const vault = new KmsContactVault({ keyId, client: new KMSClient({}) });
const context = { purpose: 'tipster-contact' };
const blob = new Uint8Array([1, 2, 3, 250, 251, 252]);

beforeEach(() => kms.reset());

describe('KmsContactVault', () => {
  it('seals with the key and the tipster-contact context into kms1.<base64>', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: blob, KeyId: keyId });
    const sealed = await vault.seal('微信 qingling-tipster');
    expect(sealed).toBe(`kms1.${Buffer.from(blob).toString('base64')}`);
    const input = kms.commandCalls(EncryptCommand)[0]?.args[0].input;
    expect(input?.KeyId).toBe(keyId);
    expect(input?.EncryptionContext).toEqual(context);
    expect(Buffer.from(input?.Plaintext ?? []).toString('utf8')).toBe('微信 qingling-tipster');
  });

  it('opens a sealed contact with the same key and context', async () => {
    kms
      .on(DecryptCommand, { KeyId: keyId, EncryptionContext: context })
      .resolves({ Plaintext: Buffer.from('13800000000', 'utf8'), KeyId: keyId });
    expect(await vault.open(`kms1.${Buffer.from(blob).toString('base64')}`)).toBe('13800000000');
    const input = kms.commandCalls(DecryptCommand)[0]?.args[0].input;
    expect(input?.CiphertextBlob).toEqual(Buffer.from(blob));
  });

  it('refuses what is not a KMS sealed contact, without calling KMS', async () => {
    await expect(vault.open('local1.AAAA')).rejects.toThrow(/not a KMS sealed contact/);
    await expect(vault.open('kms1.')).rejects.toThrow(/not a KMS sealed contact/);
    expect(kms.calls()).toHaveLength(0);
  });

  it('lets KMS refusals through (wrong key, wrong context, tampered blob) and empty answers', async () => {
    kms
      .on(DecryptCommand)
      .rejectsOnce(new InvalidCiphertextException({ message: 'invalid ciphertext', $metadata: {} }))
      .resolves({});
    await expect(vault.open('kms1.AQID')).rejects.toThrow('invalid ciphertext');
    await expect(vault.open('kms1.AQID')).rejects.toThrow(/no plaintext/);
  });

  it('fails when KMS refuses to encrypt or returns nothing', async () => {
    kms.on(EncryptCommand).rejectsOnce(new Error('AccessDeniedException')).resolves({});
    await expect(vault.seal('a')).rejects.toThrow('AccessDeniedException');
    await expect(vault.seal('a')).rejects.toThrow(/no ciphertext/);
  });

  it('refuses a contact longer than KMS can encrypt directly', async () => {
    await expect(vault.seal('x'.repeat(4097))).rejects.toThrow(/at most 4096 bytes/);
    expect(kms.calls()).toHaveLength(0);
  });

  it('needs a key', () => {
    expect(() => new KmsContactVault({ keyId: '' })).toThrow(/key/);
  });
});
