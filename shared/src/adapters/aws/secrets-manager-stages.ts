import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/**
 * The values a secret holds during a rotation: AWSCURRENT and, when there is one,
 * AWSPREVIOUS (a secret never rotated has none). Read on each call: callers cache. The
 * values are never put into an error message.
 */
export function secretsManagerStages(
  secretId: string,
  client = new SecretsManagerClient({}),
): () => Promise<string[]> {
  if (!secretId) throw new Error('secretsManagerStages needs a secret id');
  const read = async (stage: 'AWSCURRENT' | 'AWSPREVIOUS') => {
    try {
      const secret = await client.send(
        new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }),
      );
      return secret.SecretString || undefined;
    } catch (error) {
      if (stage === 'AWSPREVIOUS' && error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  };
  return async () => {
    const values = await Promise.all([read('AWSCURRENT'), read('AWSPREVIOUS')]);
    const found = values.filter((value): value is string => Boolean(value));
    if (!found.length) throw new Error(`The secret ${secretId} holds no value`);
    return found;
  };
}
