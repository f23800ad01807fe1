import { seedData } from '@qingling/shared/reference/reference-data.ts';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';
import { respond } from './custom-resource.ts';

/**
 * The deployment's data migrations, as a CloudFormation custom resource run on every
 * deploy that changes its version: jurisdictions and industries are written where absent
 * (an administrator's edit is kept), then the seed marker the health route reports. It is
 * idempotent, so a retried or repeated deploy changes nothing; a stack deletion leaves the
 * record alone (the table is retained). CloudFormation waits for the answer at ResponseURL,
 * so every path answers, failures included.
 */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'Seed data applied';
  let data: Record<string, unknown> = {};
  try {
    if (event.RequestType !== 'Delete') {
      const { added } = await dependencies.referenceData().seed(seedData);
      data = { version: seedData.version, added };
      logger.info('Seed data applied', { version: seedData.version, added });
    }
  } catch (error) {
    status = 'FAILED';
    reason = `Seed data not applied: ${(error as Error).message}`;
    logger.error('Seed data not applied', { error: error as Error });
  }
  await respond(event, 'qingling-seed-data', status, reason, data);
}
