import { claimNames, principalFromClaims } from '@qingling/shared/auth/principal.ts';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler, qinglingClaims } from './pre-token-generation.ts';

const event = (userAttributes: Record<string, string>) =>
  ({
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'cn-north-1',
    userPoolId: 'cn-north-1_test',
    userName: 'li.ming',
    callerContext: { awsSdkVersion: 'test', clientId: 'web' },
    request: { userAttributes, groupConfiguration: {}, scopes: ['openid'] },
    response: { claimsAndScopeOverrideDetails: {} },
  }) as unknown as PreTokenGenerationV2TriggerEvent;

describe('pre-token-generation trigger', () => {
  it('copies the custom attributes into both tokens as space-separated claims', async () => {
    const result = await handler(
      event({
        sub: 'u-1',
        name: '李明',
        'custom:roles': 'officer, department_head',
        'custom:jurisdictions': 'cq-gecheng',
        'custom:department': '应急管理局',
      }),
    );
    const details = result.response.claimsAndScopeOverrideDetails;
    const expected = {
      [claimNames.roles]: 'officer department_head',
      [claimNames.jurisdictions]: 'cq-gecheng',
      [claimNames.department]: '应急管理局',
    };
    expect(details.idTokenGeneration?.claimsToAddOrOverride).toEqual(expected);
    expect(details.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      ...expected,
      name: '李明',
    });
  });

  it('gives claims that principalFromClaims reads back', () => {
    const claims = qinglingClaims({
      'custom:roles': 'officer',
      'custom:jurisdictions': 'cq-gecheng cq-dongmen',
      'custom:industries': 'mining',
    });
    expect(principalFromClaims({ sub: 'u-1', name: '李明', ...claims })).toEqual({
      userId: 'u-1',
      name: '李明',
      roles: ['officer'],
      jurisdictions: ['cq-gecheng', 'cq-dongmen'],
      industries: ['mining'],
    });
  });

  it('adds no claim for an attribute that is missing or empty', () => {
    expect(qinglingClaims({ 'custom:roles': ' ', 'custom:department': '' })).toEqual({});
  });
});
