import { routes } from '@qingling/shared/api/routes.ts';
import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTableInput, tableDesign } from '../../infra/table-design.ts';
import {
  deployedConfigJson,
  resourceOfType,
  resourcesOfType,
  type Synthesized,
  synthesize,
} from './synth.ts';

// The default deployment: CloudFront in front of site and API, Cognito for officers.
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

const ref = (logicalId: string) => ({ Ref: logicalId });

describe('the table', () => {
  it('has the keys and indexes of infra/table-design.ts, on demand', () => {
    const expected = createTableInput('unused');
    const [table, ...others] = resourcesOfType(synthesized, 'AWS::DynamoDB::Table');
    expect(others).toHaveLength(0);
    const properties = table?.properties ?? {};
    expect(properties.KeySchema).toEqual(expected.KeySchema);
    expect(properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(expected.AttributeDefinitions),
    );
    expect(properties.AttributeDefinitions).toHaveLength(expected.AttributeDefinitions.length);
    expect(properties.GlobalSecondaryIndexes).toEqual(expected.GlobalSecondaryIndexes);
    expect(tableDesign.globalSecondaryIndexes.length).toBeGreaterThan(0);
  });

  it('is protected: point-in-time recovery, deletion protection, retained, encrypted', () => {
    synthesized.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      }),
    });
  });
});

describe('the evidence bucket', () => {
  const evidence = () => {
    const id = synthesized.stack.getLogicalId(
      synthesized.stack.evidence.bucket.node.defaultChild as never,
    );
    const bucket = resourcesOfType(synthesized, 'AWS::S3::Bucket').find(
      (candidate) => candidate.logicalId === id,
    );
    if (!bucket) throw new Error('no evidence bucket');
    return bucket;
  };

  it('is versioned, encrypted and closed to the public', () => {
    expect(evidence().properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('has no server access logs (anonymity)', () => {
    expect(evidence().properties.LoggingConfiguration).toBeUndefined();
  });

  it('accepts TLS only', () => {
    synthesized.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(evidence().logicalId),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets the site upload with a browser POST', () => {
    expect(evidence().properties.CorsConfiguration).toMatchObject({
      CorsRules: [
        {
          AllowedMethods: expect.arrayContaining(['POST']),
          AllowedOrigins: [
            {
              'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.any(String), 'DomainName'] }]],
            },
          ],
        },
      ],
    });
  });
});

describe('the HTTP API', () => {
  it('has one route per entry of the route table, public or behind the JWT authorizer', () => {
    const found = resourcesOfType(synthesized, 'AWS::ApiGatewayV2::Route');
    expect(found).toHaveLength(routes.length);
    const [authorizer, ...otherAuthorizers] = resourcesOfType(
      synthesized,
      'AWS::ApiGatewayV2::Authorizer',
    );
    expect(otherAuthorizers).toHaveLength(0);
    for (const route of routes) {
      const match = found.find(
        ({ properties }) => properties.RouteKey === `${route.method} ${route.path}`,
      );
      expect(match, `${route.method} ${route.path}`).toBeDefined();
      if (route.access.kind === 'public') {
        expect(match?.properties.AuthorizationType).toBe('NONE');
        expect(match?.properties.AuthorizerId).toBeUndefined();
      } else {
        expect(match?.properties.AuthorizationType).toBe('JWT');
        expect(match?.properties.AuthorizerId).toEqual(ref(authorizer?.logicalId ?? ''));
      }
    }
  });

  it('checks Cognito tokens with a partition-neutral issuer', () => {
    const stack = synthesized.stack;
    const userPool = stack.getLogicalId(stack.auth.userPool?.node.defaultChild as never);
    const client = stack.getLogicalId(stack.auth.client?.node.defaultChild as never);
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [ref(client)],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              ref('AWS::Region'),
              '.',
              ref('AWS::URLSuffix'),
              '/',
              ref(userPool),
            ],
          ],
        },
      },
    });
  });

  it('runs one Node.js 24 arm64 function per handler with its settings', () => {
    const handlers = new Set(routes.map((route) => route.handler));
    const functions = resourcesOfType(synthesized, 'AWS::Lambda::Function').filter(
      ({ properties }) => String(properties.Description).startsWith('Qingling API'),
    );
    expect(functions).toHaveLength(handlers.size);
    const table = synthesized.stack.getLogicalId(
      synthesized.stack.table.table.node.defaultChild as never,
    );
    for (const { properties } of functions) {
      expect(properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: {
            TABLE_NAME: ref(table),
            CODE_VERSION: '0.0.0-test',
            POWERTOOLS_SERVICE_NAME: 'qingling',
          },
        },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      for (const name of Object.keys((properties.Environment as { Variables: object }).Variables)) {
        expect(name.length).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('grants every handler the table by partition only: GET-only handlers no write unless declared, nobody Scan or DeleteItem', () => {
    for (const [handler, fn] of synthesized.stack.api.functions) {
      const served = routes.filter((route) => route.handler === handler);
      const readOnly = served.every((route) => route.method === 'GET');
      const policy = fn.role.node.tryFindChild('DefaultPolicy');
      const document = synthesized.stack.resolve(
        (policy as unknown as { document: unknown }).document,
      ) as { Statement: { Action: string | string[]; Condition?: unknown }[] };
      const statements = document.Statement.filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
      );
      for (const statement of statements) {
        // No statement reaches the table or an index without naming its partitions.
        expect(statement.Condition, handler).toMatchObject({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': expect.any(Array) },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        });
      }
      const actions = statements.flatMap((statement) => statement.Action);
      // A GET that writes names what it writes (the ledger export's jobs, LEDGEREXPORT#*).
      if (readOnly && !served.some((route) => 'write' in route.table)) {
        expect(actions, handler).not.toContain('dynamodb:PutItem');
        expect(actions, handler).not.toContain('dynamodb:UpdateItem');
      }
      expect(actions, handler).not.toContain('dynamodb:Scan');
      expect(actions, handler).not.toContain('dynamodb:DeleteItem');
      expect(
        actions.some((action) => action.includes('*')),
        handler,
      ).toBe(false);
    }
  });

  it('lets a public route touch only the partitions it names, never an index', () => {
    const publicHandlers = [...synthesized.stack.api.functions].filter(([handler]) =>
      routes
        .filter((route) => route.handler === handler)
        .every((route) => route.access.kind === 'public'),
    );
    expect(publicHandlers.map(([handler]) => handler)).toContain('create-tip');
    for (const [handler, fn] of publicHandlers) {
      const policy = fn.role.node.tryFindChild('DefaultPolicy');
      const document = synthesized.stack.resolve(
        (policy as unknown as { document: unknown }).document,
      ) as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] };
      for (const statement of document.Statement) {
        const actions = [statement.Action].flat();
        if (!actions.some((action) => action.startsWith('dynamodb:'))) continue;
        expect(JSON.stringify(statement.Resource), handler).not.toContain('/index/');
      }
    }
    const tipIntake = synthesized.stack.api.functions.get('create-tip');
    if (!tipIntake) throw new Error('No create-tip function');
    const intakePolicy = tipIntake.role.node.tryFindChild('DefaultPolicy') as unknown as {
      document: unknown;
    };
    const intakeDocument = JSON.stringify(synthesized.stack.resolve(intakePolicy.document));
    expect(intakeDocument).toContain('TIP#*');
    expect(intakeDocument).not.toContain('HAZARD#');
  });

  it('throttles the default stage', () => {
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('logs access to a log group with a retention period', () => {
    const stage = resourceOfType(synthesized, 'AWS::ApiGatewayV2::Stage');
    const destination = (stage.properties.AccessLogSettings as { DestinationArn: unknown })
      .DestinationArn as { 'Fn::GetAtt': [string, string] };
    const [logGroupId] = destination['Fn::GetAtt'];
    const logGroup = resourceOfType(synthesized, 'AWS::Logs::LogGroup', logGroupId);
    expect(logGroup.properties.RetentionInDays).toEqual(expect.any(Number));
  });
});

describe('anonymity in logs', () => {
  it('no access-log format anywhere carries the source IP or user agent', () => {
    const formats = [
      ...resourcesOfType(synthesized, 'AWS::ApiGatewayV2::Stage').map(
        ({ properties }) => (properties.AccessLogSettings as { Format?: string })?.Format,
      ),
      ...resourcesOfType(synthesized, 'AWS::ApiGateway::Stage').map(
        ({ properties }) => (properties.AccessLogSetting as { Format?: string })?.Format,
      ),
    ];
    expect(formats.length).toBeGreaterThan(0);
    for (const format of formats) {
      expect(format).toEqual(expect.any(String));
      expect(format).not.toMatch(/sourceIp|userAgent|\$context\.identity|\$context\.path/i);
      expect(() => JSON.parse(format ?? '')).not.toThrow();
    }
    // And nowhere else in the template either.
    expect(synthesized.json).not.toMatch(/sourceIp|userAgent/i);
  });

  it('CloudFront keeps no access logs', () => {
    const [distribution] = resourcesOfType(synthesized, 'AWS::CloudFront::Distribution');
    expect(distribution?.properties.DistributionConfig).not.toHaveProperty('Logging');
    for (const type of [
      'AWS::CloudFront::RealtimeLogConfig',
      'AWS::Logs::DeliverySource',
      'AWS::Logs::Delivery',
    ]) {
      expect(resourcesOfType(synthesized, type), type).toHaveLength(0);
    }
  });

  it('no Lambda log group is kept forever', () => {
    for (const { properties } of resourcesOfType(synthesized, 'AWS::Logs::LogGroup')) {
      expect(properties.RetentionInDays).toEqual(expect.any(Number));
    }
    for (const { properties } of resourcesOfType(synthesized, 'AWS::Lambda::Function')) {
      expect(properties.LoggingConfig).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
  });
});

describe('the CloudFront distribution', () => {
  const config = () =>
    resourcesOfType(synthesized, 'AWS::CloudFront::Distribution')[0]?.properties
      .DistributionConfig as {
      DefaultRootObject: string;
      CustomErrorResponses?: unknown[];
      DefaultCacheBehavior: { FunctionAssociations: { EventType: string }[] };
      CacheBehaviors: Record<string, unknown>[];
      Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown }[];
    };

  it('serves index.html at the root through Origin Access Control', () => {
    expect(config().DefaultRootObject).toBe('index.html');
    const s3 = config().Origins.find((origin) => origin.OriginAccessControlId);
    expect(s3).toBeDefined();
  });

  it('sends /api/* to the HTTP API uncached, all methods, with the Authorization header', () => {
    const api = config().CacheBehaviors.find((behavior) => behavior.PathPattern === '/api/*');
    expect(api).toMatchObject({
      AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
      // The managed CachingDisabled policy.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      ViewerProtocolPolicy: 'https-only',
    });
    const origin = config().Origins.find((candidate) => candidate.Id === api?.TargetOriginId);
    const apiId = synthesized.stack.getLogicalId(
      synthesized.stack.api.api.node.defaultChild as never,
    );
    expect(JSON.stringify(origin?.DomainName)).toContain(`"Ref":"${apiId}"`);

    const policyId = (api?.OriginRequestPolicyId as { Ref: string } | undefined)?.Ref;
    const policy = resourceOfType(synthesized, 'AWS::CloudFront::OriginRequestPolicy', policyId);
    const headers = (
      policy.properties.OriginRequestPolicyConfig as {
        HeadersConfig: { HeaderBehavior: string; Headers?: string[] };
      }
    ).HeadersConfig;
    // "All viewer headers except …" forwards Authorization; the list must not remove it.
    expect(headers.HeaderBehavior).toBe('allExcept');
    expect(headers.Headers?.map((header) => header.toLowerCase())).not.toContain('authorization');
    expect(headers.Headers).toEqual(expect.arrayContaining(['Host', 'User-Agent']));
  });

  it("keeps the API's default endpoint, its origin, even behind a web ACL", () => {
    // Disabling execute-api would answer 403 to CloudFront too; the origin header closes it
    // to everyone else (README: "The API answers only CloudFront").
    const withWebAcl = synthesize({
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/qingling/abc',
    });
    for (const s of [synthesized, withWebAcl]) {
      const [api] = resourcesOfType(s, 'AWS::ApiGatewayV2::Api');
      expect(api?.properties.DisableExecuteApiEndpoint).not.toBe(true);
      const [distribution] = resourcesOfType(s, 'AWS::CloudFront::Distribution');
      const config = distribution?.properties.DistributionConfig as { Origins: unknown[] };
      expect(JSON.stringify(config.Origins)).toContain('.execute-api.');
    }
    expect(
      JSON.stringify(resourcesOfType(withWebAcl, 'AWS::CloudFront::Distribution')[0]?.properties),
    ).toContain('"WebACLId":"arn:aws:wafv2:');
  });

  it('sends the API a generated secret as an origin header, resolved by CloudFormation', () => {
    const verification = synthesized.stack.originVerification;
    if (!verification) throw new Error('No origin verification with CloudFront');
    const secretId = synthesized.stack.getLogicalId(verification.secret.node.defaultChild as never);
    const secret = resourceOfType(synthesized, 'AWS::SecretsManager::Secret', secretId);
    expect(secret.properties.GenerateSecretString).toMatchObject({
      PasswordLength: 48,
      ExcludePunctuation: true,
    });
    const api = config().CacheBehaviors.find((behavior) => behavior.PathPattern === '/api/*');
    const origin = config().Origins.find((candidate) => candidate.Id === api?.TargetOriginId) as
      | { OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }
      | undefined;
    // A dynamic reference to the secret, never its value: the template holds no secret.
    expect(origin?.OriginCustomHeaders).toEqual([
      {
        HeaderName: 'x-origin-verify',
        HeaderValue: {
          'Fn::Join': ['', ['{{resolve:secretsmanager:', ref(secretId), ':SecretString:::}}']],
        },
      },
    ]);
    // After a rotation, -c originSecretVersion pins the new version: the template changes.
    const version = '5f0c3a7e-1b2d-4c8e-9f10-0a1b2c3d4e5f';
    const pinned = synthesize({ originSecretVersion: version });
    expect(pinned.json).toContain(`:SecretString:::${version}}}`);
  });

  it('has every API function check that header first, reading only that secret', () => {
    const verification = synthesized.stack.originVerification;
    if (!verification) throw new Error('No origin verification with CloudFront');
    const secretId = synthesized.stack.getLogicalId(verification.secret.node.defaultChild as never);
    expect(synthesized.stack.api.functions.size).toBeGreaterThan(10);
    for (const [handler, fn] of synthesized.stack.api.functions) {
      const variables = (
        synthesized.stack.resolve(
          (fn.function.node.defaultChild as unknown as { environment: unknown }).environment,
        ) as { variables: Record<string, unknown> }
      ).variables;
      expect(variables, handler).toMatchObject({
        ORIGIN_VERIFY_SECRET_ARN: ref(secretId),
        ORIGIN_VERIFY_HEADER: 'x-origin-verify',
      });
      const policy = fn.role.node.tryFindChild('DefaultPolicy') as unknown as { document: unknown };
      // IAM merges statements of one action: the receipt key may share this one.
      const statements = (
        synthesized.stack.resolve(policy.document) as {
          Statement: { Action: string | string[]; Resource: unknown }[];
        }
      ).Statement.filter((statement) => JSON.stringify(statement.Resource).includes(secretId));
      expect(
        statements.map((statement) => statement.Action),
        handler,
      ).toEqual(['secretsmanager:GetSecretValue']);
    }
    // Functions outside the API (lifecycle, deliveries) are not reached through CloudFront.
    const others = resourcesOfType(synthesized, 'AWS::Lambda::Function').filter(
      ({ properties }) => !String(properties.Description).startsWith('Qingling API'),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const { properties } of others) {
      expect(JSON.stringify(properties.Environment ?? {})).not.toContain('ORIGIN_VERIFY');
    }
  });

  it('answers client-only routes with 200.html by a viewer-request function, not error pages', () => {
    // Distribution-wide 403/404 → 200.html would also turn the API's 403/404 into HTML.
    expect(config().CustomErrorResponses ?? []).toEqual([]);
    expect(config().DefaultCacheBehavior.FunctionAssociations).toEqual([
      expect.objectContaining({ EventType: 'viewer-request' }),
    ]);
    const [fn] = resourcesOfType(synthesized, 'AWS::CloudFront::Function');
    const code = fn?.properties.FunctionCode as string;
    const handler = new Function(`${code}\nreturn handler;`)() as (event: {
      request: { uri: string };
    }) => { uri: string };
    const served = (uri: string) => handler({ request: { uri } }).uri;
    expect(served('/office/hazards/h-1')).toBe('/200.html');
    expect(served('/office/')).toBe('/200.html');
    expect(served('/')).toBe('/index.html');
    expect(served('/report')).toBe('/report/index.html');
    expect(served('/report/')).toBe('/report/index.html');
    expect(served('/_app/immutable/start.js')).toBe('/_app/immutable/start.js');
    expect(served('/favicon.svg')).toBe('/favicon.svg');
  });

  it('the site deployment writes /config.json with the OIDC settings of the Cognito client', () => {
    const { text, markers } = deployedConfigJson(synthesized);
    const config = JSON.parse(text) as { auth: Record<string, string> };
    expect(config.auth.mode).toBe('oidc');
    expect(config.auth.scope).toBe('openid');
    const resolved = (value: string | undefined) =>
      (value ?? '').replace(/<<marker:0xbaba:\d+>>/g, (marker) => JSON.stringify(markers[marker]));
    expect(resolved(config.auth.authority)).toMatch(
      /^https:\/\/cognito-idp\.\{"Ref":"AWS::Region"\}\.\{"Ref":"AWS::URLSuffix"\}\/\{"Ref":"AuthUserPool/,
    );
    expect(resolved(config.auth.clientId)).toMatch(/^\{"Ref":"AuthUserPoolWebClient/);
  });

  it('invalidates the distribution after uploading the pages', () => {
    synthesized.template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionId: { Ref: Match.stringLikeRegexp('^SiteDistribution') },
      DistributionPaths: ['/*'],
      Prune: true,
    });
  });
});

describe('officer sign-in with Cognito', () => {
  it('puts Qingling claims into tokens with a version 2 pre-token-generation trigger', () => {
    synthesized.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      LambdaConfig: {
        PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: Match.anyValue() },
      },
    });
  });

  it('never lets a user write their own roles or jurisdictions', () => {
    const [client] = resourcesOfType(synthesized, 'AWS::Cognito::UserPoolClient');
    const writable = client?.properties.WriteAttributes as string[];
    expect(writable.filter((attribute) => attribute.startsWith('custom:'))).toEqual([]);
    expect(client?.properties.GenerateSecret).toBe(false);
    expect(JSON.stringify(client?.properties.CallbackURLs)).toContain('/office/callback');
  });
});

describe('partition neutrality and cdk-nag', () => {
  it('has no hard-coded partition in any ARN', () => {
    expect(synthesized.json).not.toMatch(/arn:aws(-cn|-us-gov)?:/);
  });

  it('has no unacknowledged AwsSolutions finding, error or warning', () => {
    expect(synthesized.nagViolations).toEqual([]);
  });

  it('has no CDK warning or error annotations', () => {
    expect(synthesized.annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(synthesized.annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('gives every acknowledgment a real reason', () => {
    const acknowledged: { id: string; reason: string }[] = [];
    const visit = (construct: IConstruct) => {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledged.push({ id, reason });
        }
      }
      for (const child of construct.node.children) visit(child);
    };
    visit(synthesized.stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledged) {
      expect(reason.length, id).toBeGreaterThan(40);
    }
  });
});
