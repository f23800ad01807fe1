import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { logger } from '#functions/observability/logger.ts';
import { repositoryRoot } from './paths.ts';

function codeVersion(): string {
  const { version } = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    return `${version}+${commit}`;
  } catch {
    return version;
  }
}

/** The handlers read the same variables on AWS (set by CDK); here they point at dynalite. */
export function pointHandlersAt(dynamo: { endpoint: string }, tableName: string): void {
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CODE_VERSION: codeVersion(),
    POWERTOOLS_SERVICE_NAME: 'qingling',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // CloudWatch metrics (EMF lines) mean nothing on one machine.
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // The functions' logger was made when they were imported, before these variables.
  logger.setLogLevel((process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN') as LogLevel);
}

export interface LocalSecrets {
  blobSigningKey: string;
  receiptKey: string;
  contactKey: string;
}

/** The deployment's secrets, made once and kept in .data (Secrets Manager and KMS on AWS). */
export async function loadSecrets(path: string): Promise<LocalSecrets> {
  let stored: Partial<LocalSecrets> = {};
  try {
    stored = JSON.parse(await readFile(path, 'utf8')) as Partial<LocalSecrets>;
  } catch {}
  const secrets: LocalSecrets = {
    blobSigningKey: stored.blobSigningKey ?? randomBytes(32).toString('base64'),
    receiptKey: stored.receiptKey ?? randomBytes(32).toString('base64'),
    contactKey: stored.contactKey ?? randomBytes(32).toString('base64'),
  };
  if (Object.keys(stored).length !== 3) {
    await writeFile(path, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}
