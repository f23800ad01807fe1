import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { jsonError, ServiceError, type ServiceRegistration } from '../aws-endpoint.ts';
import type { DeployedTemplate } from '../template.ts';

/**
 * Secrets Manager and KMS for the template's secrets and keys. A secret's value is made as
 * its GenerateSecretString says; KMS encrypts with AES-GCM under a key per KMS key, and
 * its ciphertext names the key, as KMS's does, so Decrypt is authorized on that key.
 */

type Json = Record<string, unknown>;

const jsonBody = (body: unknown) => ({
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(body),
});

const parse = (body: Buffer) => JSON.parse(body.toString('utf8') || '{}') as Json;

export function secretsManager(template: DeployedTemplate): ServiceRegistration {
  const secrets = new Map<string, { name: string; value: string }>();
  for (const { logicalId } of template.ofType('AWS::SecretsManager::Secret')) {
    const arn = template.ref(logicalId);
    const given = template.property<string | undefined>(logicalId, 'SecretString');
    const generate = template.property<Json | undefined>(logicalId, 'GenerateSecretString');
    secrets.set(arn, {
      name: arn.split(':secret:')[1] ?? arn,
      value: given ?? generated(generate ?? {}),
    });
  }
  const error = jsonError('application/x-amz-json-1.1');
  return {
    error,
    denied: (message) => error(new ServiceError('AccessDeniedException', message)),
    handle: async (request, caller) => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
      const body = parse(request.body);
      if (operation !== 'GetSecretValue') {
        throw new ServiceError(
          'InvalidRequestException',
          `The harness does not emulate ${operation}`,
        );
      }
      const id = String(body.SecretId ?? '');
      const found = [...secrets.entries()].find(
        ([arn, secret]) =>
          arn === id || secret.name === id || secret.name.replace(/-AbCdEf$/, '') === id,
      );
      const arn = found?.[0] ?? template.arn('secretsmanager', `secret:${id}`);
      caller.authorize({ action: 'secretsmanager:GetSecretValue', resource: arn });
      if (!found) {
        throw new ServiceError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      }
      return jsonBody({
        ARN: arn,
        Name: found[1].name,
        SecretString: found[1].value,
        VersionId: 'v1',
      });
    },
  };
}

function generated(options: Json): string {
  const length = Number(options.PasswordLength ?? 32);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const alphabet = options.ExcludePunctuation ? letters : `${letters}!#$%&()*+,-./:;<=>?@[]^_{|}~`;
  const bytes = randomBytes(length);
  const value = [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
  if (
    typeof options.SecretStringTemplate === 'string' &&
    typeof options.GenerateStringKey === 'string'
  ) {
    return JSON.stringify({
      ...JSON.parse(options.SecretStringTemplate),
      [options.GenerateStringKey]: value,
    });
  }
  return value;
}

export function kms(template: DeployedTemplate): ServiceRegistration {
  const keys = new Map<string, Buffer>();
  for (const { logicalId } of template.ofType('AWS::KMS::Key')) {
    keys.set(template.getAtt(logicalId, 'Arn'), randomBytes(32));
  }
  const keyArnOf = (keyId: string): string => {
    for (const arn of keys.keys()) if (arn === keyId || arn.endsWith(`/${keyId}`)) return arn;
    throw new ServiceError('NotFoundException', `Key '${keyId}' does not exist`);
  };
  const error = jsonError('application/x-amz-json-1.1');
  return {
    error,
    denied: (message) => error(new ServiceError('AccessDeniedException', message)),
    handle: async (request, caller) => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
      const body = parse(request.body);
      switch (operation) {
        case 'Encrypt': {
          const arn = keyArnOf(String(body.KeyId ?? ''));
          caller.authorize({ action: 'kms:Encrypt', resource: arn, context: contextKeys(body) });
          const plaintext = Buffer.from(String(body.Plaintext ?? ''), 'base64');
          return jsonBody({
            KeyId: arn,
            CiphertextBlob: seal(arn, keys.get(arn) as Buffer, plaintext, body),
          });
        }
        case 'Decrypt': {
          const blob = Buffer.from(String(body.CiphertextBlob ?? ''), 'base64');
          const [arn, sealed] = splitBlob(blob);
          if (!keys.has(arn)) throw new ServiceError('InvalidCiphertextException', '');
          caller.authorize({ action: 'kms:Decrypt', resource: arn, context: contextKeys(body) });
          const plaintext = open(keys.get(arn) as Buffer, sealed, body);
          return jsonBody({ KeyId: arn, Plaintext: plaintext.toString('base64') });
        }
        case 'GenerateDataKey': {
          const arn = keyArnOf(String(body.KeyId ?? ''));
          caller.authorize({
            action: 'kms:GenerateDataKey',
            resource: arn,
            context: contextKeys(body),
          });
          const plaintext = randomBytes(Number(body.NumberOfBytes ?? 32));
          return jsonBody({
            KeyId: arn,
            Plaintext: plaintext.toString('base64'),
            CiphertextBlob: seal(arn, keys.get(arn) as Buffer, plaintext, body),
          });
        }
        default:
          throw new ServiceError(
            'UnsupportedOperationException',
            `The harness does not emulate ${operation}`,
          );
      }
    },
  };
}

function contextKeys(body: Json): Record<string, string> {
  const context = (body.EncryptionContext ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(context).map(([key, value]) => [`kms:EncryptionContext:${key}`, value]),
  );
}

const aad = (body: Json) => Buffer.from(JSON.stringify(body.EncryptionContext ?? {}));

function seal(arn: string, key: Buffer, plaintext: Buffer, body: Json): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(body));
  const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const name = Buffer.from(arn);
  return Buffer.concat([Buffer.from([name.length]), name, sealed]).toString('base64');
}

function splitBlob(blob: Buffer): [string, Buffer] {
  const length = blob[0] ?? 0;
  return [blob.subarray(1, 1 + length).toString(), blob.subarray(1 + length)];
}

function open(key: Buffer, sealed: Buffer, body: Json): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12)).setAAD(aad(body));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(12, sealed.length - 16)),
      decipher.final(),
    ]);
  } catch {
    throw new ServiceError('InvalidCiphertextException', '');
  }
}
