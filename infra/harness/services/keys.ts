import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
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

/** A secret's versions, newest first, and which carry AWSCURRENT and AWSPREVIOUS. */
interface StoredSecret {
  name: string;
  versions: { id: string; value: string }[];
  current: string;
  previous?: string;
}

/**
 * Secrets Manager for the template's secrets: GetSecretValue by id, version stage or
 * version id. `putValue` is what `aws secretsmanager put-secret-value` does (the new value
 * becomes AWSCURRENT, the one before AWSPREVIOUS), for tests of a rotation.
 */
export class SecretsManagerService {
  private readonly template: DeployedTemplate;
  private readonly secrets = new Map<string, StoredSecret>();

  constructor(template: DeployedTemplate) {
    this.template = template;
    for (const { logicalId } of template.ofType('AWS::SecretsManager::Secret')) {
      const arn = template.ref(logicalId);
      const given = template.property<string | undefined>(logicalId, 'SecretString');
      const generate = template.property<Json | undefined>(logicalId, 'GenerateSecretString');
      const id = randomUUID();
      this.secrets.set(arn, {
        name: arn.split(':secret:')[1] ?? arn,
        versions: [{ id, value: given ?? generated(generate ?? {}) }],
        current: id,
      });
    }
  }

  /** A version's value: by version id, else by stage (AWSCURRENT when neither is given). */
  valueOf(secretId: string, version: { id?: string; stage?: string } = {}): string {
    const [, secret] = this.find(secretId) ?? [];
    if (!secret) throw new Error(`The template has no secret ${secretId}`);
    return this.version(secret, version).value;
  }

  /** A new value for the secret; returns its version id. */
  putValue(secretId: string, value: string): string {
    const [, secret] = this.find(secretId) ?? [];
    if (!secret) throw new Error(`The template has no secret ${secretId}`);
    const id = randomUUID();
    secret.versions.unshift({ id, value });
    secret.previous = secret.current;
    secret.current = id;
    return id;
  }

  registration(): ServiceRegistration {
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
        const found = this.find(id);
        const arn = found?.[0] ?? this.template.arn('secretsmanager', `secret:${id}`);
        caller.authorize({ action: 'secretsmanager:GetSecretValue', resource: arn });
        if (!found) {
          throw new ServiceError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret.",
          );
        }
        const [, secret] = found;
        const version = this.version(secret, {
          ...(body.VersionId ? { id: String(body.VersionId) } : {}),
          ...(body.VersionStage ? { stage: String(body.VersionStage) } : {}),
        });
        return jsonBody({
          ARN: arn,
          Name: secret.name,
          SecretString: version.value,
          VersionId: version.id,
          VersionStages: [
            ...(version.id === secret.current ? ['AWSCURRENT'] : []),
            ...(version.id === secret.previous ? ['AWSPREVIOUS'] : []),
          ],
        });
      },
    };
  }

  private find(id: string): [string, StoredSecret] | undefined {
    return [...this.secrets.entries()].find(
      ([arn, secret]) =>
        arn === id || secret.name === id || secret.name.replace(/-AbCdEf$/, '') === id,
    );
  }

  private version(secret: StoredSecret, { id, stage }: { id?: string; stage?: string }) {
    const wanted =
      id ??
      (stage === undefined || stage === 'AWSCURRENT'
        ? secret.current
        : stage === 'AWSPREVIOUS'
          ? secret.previous
          : undefined);
    const version = secret.versions.find((candidate) => candidate.id === wanted);
    if (!version) {
      throw new ServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for staging label or version.",
      );
    }
    return version;
  }
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
