import { expiryAttribute } from '@qingling/shared/adapters/dynamodb/expiry.ts';
import { deliveryRecordKeptMs } from '@qingling/shared/ports/delivery-ledger.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDesign } from '../../infra/table-design.ts';
import { resourcesOfType, type Synthesized, synthesize } from './synth.ts';

// The table's bookkeeping items (look-up counters, spent puzzles, the delivery ledger)
// expire by DynamoDB Time to Live on the attribute the adapters write; records never
// carry it (shared/src/adapters/dynamodb/expiry.ts).
let global: Synthesized;
let china: Synthesized;
beforeAll(() => {
  global = synthesize();
  china = synthesize({
    profile: 'china',
    cdn: 'none',
    siteUrl: 'https://qingling.example.gov.cn',
    auth: { kind: 'oidc', issuer: 'https://sso.example.gov.cn', audience: ['qingling'] },
    smsProviderUrl: 'https://sms.example.gov.cn/send',
  });
});

/** SQS's default retention, when a queue states none: 4 days. */
const defaultRetentionSeconds = 4 * 24 * 3600;

describe('expiry of the bookkeeping items', () => {
  it('is declared once, on the attribute the adapters write', () => {
    expect(tableDesign.timeToLiveAttribute).toBe(expiryAttribute);
  });

  it.each([
    ['global', () => global],
    ['china', () => china],
  ])('is enabled on the table (%s profile)', (_name, synthesized) => {
    const [table, ...others] = resourcesOfType(synthesized(), 'AWS::DynamoDB::Table');
    expect(others).toHaveLength(0);
    expect(table?.properties.TimeToLiveSpecification).toEqual({
      AttributeName: tableDesign.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('keeps a delivery record longer than any queue keeps a message', () => {
    const queues = resourcesOfType(global, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const { logicalId, properties } of queues) {
      const retention = Number(properties.MessageRetentionPeriod ?? defaultRetentionSeconds);
      expect(retention * 1000, logicalId).toBeLessThan(deliveryRecordKeptMs);
    }
  });
});
