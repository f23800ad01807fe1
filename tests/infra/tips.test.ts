import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contactEncryptionContext } from '@qingling/shared/adapters/aws/kms-contact-vault.ts';
import { type Resource, type RouteDefinition, routes } from '@qingling/shared/api/routes.ts';
import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeModulesNpmEnvironment } from '../../infra/aws/lib/constructs/node-function.ts';
import { nativeModulesLockFile } from '../../infra/aws/lib/paths.ts';
import { resourceOfType, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

// The default deployment, and one whose route table has an extra route that uses more:
// grants and environment must follow the table, whatever it says.
const probeRoute = {
  ...routes[0],
  operationId: 'getHealthProbe',
  path: '/api/health/probe',
  uses: ['contactKey', 'evidenceRead'],
} satisfies RouteDefinition;
let synthesized: Synthesized;
let extended: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
  extended = synthesize({ routes: [...routes, probeRoute] });
});

const logicalId = (s: Synthesized, construct: IConstruct) =>
  s.stack.getLogicalId(construct.node.defaultChild as CfnResource);

/** One line per (action, resource, condition) of a role's policy, tokens resolved. */
function grantsOf(s: Synthesized, role: IRole): string[] {
  const policy = role.node.tryFindChild('DefaultPolicy') as unknown as { document: unknown };
  const { Statement } = s.stack.resolve(policy.document) as {
    Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[];
  };
  return Statement.flatMap((statement) =>
    [statement.Action]
      .flat()
      .flatMap((action) =>
        [statement.Resource].flat().map((resource) => grant(action, resource, statement.Condition)),
      ),
  ).sort();
}
/** What the alias `live` of a function resolves to: `<function ARN>:live`. */
const aliasArn = (functionId: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, ':live']],
});
const grant = (action: string, resource: unknown, condition?: unknown) =>
  `${action} ${JSON.stringify(resource)} ${JSON.stringify(condition ?? null)}`;
const resolvedGrant = (s: Synthesized, action: string, resource: string, condition?: unknown) =>
  grant(action, s.stack.resolve(resource), condition);

/** Written out here, apart from the stack's code: what each Resource must grant. */
const expectedGrants: Record<Resource, (s: Synthesized) => string[]> = {
  evidenceUpload: (s) => [
    resolvedGrant(s, 's3:PutObject', s.stack.evidence.bucket.arnForObjects('incoming/*')),
  ],
  evidenceRead: (s) => [
    resolvedGrant(s, 's3:GetObject', s.stack.evidence.bucket.arnForObjects('tips/*')),
    resolvedGrant(s, 's3:ListBucket', s.stack.evidence.bucket.bucketArn),
  ],
  hazardEvidence: (s) => [
    resolvedGrant(s, 's3:PutObject', s.stack.evidence.bucket.arnForObjects('incoming/hazards/*')),
    resolvedGrant(s, 's3:GetObject', s.stack.evidence.bucket.arnForObjects('evidence/*')),
    resolvedGrant(s, 's3:ListBucket', s.stack.evidence.bucket.bucketArn),
  ],
  receiptKey: (s) => [
    resolvedGrant(s, 'secretsmanager:GetSecretValue', s.stack.secrets.receiptKey.secretArn),
  ],
  contactKey: (s) => [
    resolvedGrant(s, 'kms:Encrypt', s.stack.secrets.contactKey.keyArn, {
      StringEquals: { 'kms:EncryptionContext:purpose': 'tipster-contact' },
    }),
  ],
  contactOpen: (s) => [
    resolvedGrant(s, 'kms:Decrypt', s.stack.secrets.contactKey.keyArn, {
      StringEquals: { 'kms:EncryptionContext:purpose': 'tipster-contact' },
    }),
  ],
  // Dynamodb writes to LEDGEREXPORT#* are checked with the table's (stack.test.ts).
  ledgerExportStart: (s) => [
    grant('lambda:InvokeFunction', aliasArn(logicalId(s, s.stack.ledgerExports.worker.function))),
  ],
  ledgerExportRead: (s) => [
    resolvedGrant(s, 's3:GetObject', s.stack.evidence.bucket.arnForObjects('exports/*')),
  ],
  // Scoped to the one user pool: never cognito-idp:* nor another pool.
  userDirectory: (s) =>
    [
      'cognito-idp:ListUsers',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminUpdateUserAttributes',
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminEnableUser',
    ].map((action) =>
      grant(action, { 'Fn::GetAtt': [logicalId(s, s.stack.auth.userPool as UserPool), 'Arn'] }),
    ),
  lifecycle: (s) =>
    [s.stack.lifecycle.stateMachineArn, s.stack.lifecycle.tipStateMachineArn].flatMap((arn) => [
      resolvedGrant(s, 'states:StartExecution', arn),
      resolvedGrant(s, 'states:SendTaskSuccess', arn),
      resolvedGrant(
        s,
        'states:DescribeExecution',
        arn.replace(':stateMachine:', ':execution:').concat(':*'),
      ),
    ]),
};

const expectedEnvironment: Record<Resource, (s: Synthesized) => Record<string, unknown>> = {
  evidenceUpload: (s) => ({ EVIDENCE_BUCKET: { Ref: logicalId(s, s.stack.evidence.bucket) } }),
  evidenceRead: (s) => ({ EVIDENCE_BUCKET: { Ref: logicalId(s, s.stack.evidence.bucket) } }),
  hazardEvidence: (s) => ({ EVIDENCE_BUCKET: { Ref: logicalId(s, s.stack.evidence.bucket) } }),
  receiptKey: (s) => ({
    RECEIPT_KEY_SECRET_ARN: { Ref: logicalId(s, s.stack.secrets.receiptKey) },
  }),
  contactKey: (s) => ({
    CONTACT_KEY_ID: { 'Fn::GetAtt': [logicalId(s, s.stack.secrets.contactKey), 'Arn'] },
  }),
  contactOpen: (s) => ({
    CONTACT_KEY_ID: { 'Fn::GetAtt': [logicalId(s, s.stack.secrets.contactKey), 'Arn'] },
  }),
  ledgerExportStart: (s) => ({
    LEDGER_EXPORT_FUNCTION: aliasArn(logicalId(s, s.stack.ledgerExports.worker.function)),
  }),
  ledgerExportRead: (s) => ({ EVIDENCE_BUCKET: { Ref: logicalId(s, s.stack.evidence.bucket) } }),
  userDirectory: (s) => ({
    USER_POOL_ID: { Ref: logicalId(s, s.stack.auth.userPool as UserPool) },
  }),
  lifecycle: (s) => ({
    STATE_MACHINE_ARN: s.stack.resolve(s.stack.lifecycle.stateMachineArn),
    TIP_STATE_MACHINE_ARN: s.stack.resolve(s.stack.lifecycle.tipStateMachineArn),
  }),
};

/** Every API handler's, whatever its routes use, when CloudFront fronts the API. */
function originGate(s: Synthesized) {
  const verification = s.stack.originVerification;
  if (!verification) return { grants: [], environment: {} };
  return {
    grants: [resolvedGrant(s, 'secretsmanager:GetSecretValue', verification.secret.secretArn)],
    environment: {
      ORIGIN_VERIFY_SECRET_ARN: { Ref: logicalId(s, verification.secret) },
      ORIGIN_VERIFY_HEADER: verification.header,
    },
  };
}

/**
 * Table, log and trace (X-Ray) grants are checked in stack.test.ts; everything else comes
 * from `uses`.
 */
const beyondTableAndLogs = (line: string) => !/^(dynamodb|logs|xray):/.test(line);

function expectGrantsToMatchUses(s: Synthesized, table: readonly RouteDefinition[]) {
  const handlers = new Set(table.map((route) => route.handler));
  expect([...s.stack.api.functions.keys()].sort()).toEqual([...handlers].sort());
  for (const [handler, fn] of s.stack.api.functions) {
    const uses = new Set(
      table.filter((route) => route.handler === handler).flatMap((route) => route.uses ?? []),
    );
    const expected = [
      ...[...uses].flatMap((resource) => expectedGrants[resource](s)),
      ...originGate(s).grants,
    ].sort();
    expect(grantsOf(s, fn.role).filter(beyondTableAndLogs), handler).toEqual(expected);

    const { properties } = resourceOfType(s, 'AWS::Lambda::Function', logicalId(s, fn.function));
    const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables, handler).toEqual({
      TABLE_NAME: { Ref: logicalId(s, s.stack.table.table) },
      RECORD_REPAIRS: expect.any(String),
      CODE_VERSION: '0.0.0-test',
      POWERTOOLS_SERVICE_NAME: 'qingling',
      ...Object.assign({}, ...[...uses].map((resource) => expectedEnvironment[resource](s))),
      ...originGate(s).environment,
    });
  }
}

describe("each handler gets exactly what its routes' `uses` list", () => {
  it('for the route table as it is', () => {
    expectGrantsToMatchUses(synthesized, routes);
    // The table does use every kind of resource, so the check above is not vacuous.
    const used = new Set(routes.flatMap((route: RouteDefinition) => route.uses ?? []));
    expect([...used].sort()).toEqual(Object.keys(expectedGrants).sort());
  });

  it('for a route table with one more route: no route escapes', () => {
    expectGrantsToMatchUses(extended, [...routes, probeRoute]);
    const health = extended.stack.api.functions.get('health');
    expect(grantsOf(extended, health?.role as IRole).join('\n')).toContain('kms:Encrypt');
  });

  it('grants kms:Decrypt on the contact key to the delivery and the bank-details opening alone, in its context', () => {
    // The claim reminder opens a tip's sealed phone as it is delivered, and a reward officer
    // opens a claim's sealed bank details (logged on the tip): those two roles alone may
    // decrypt with the contact key, and only with the tipster-contact encryption context.
    // (The lifecycle's publisher decrypts with its own topic key.)
    const contactKeyId = synthesized.stack.getLogicalId(
      synthesized.stack.secrets.contactKey.node.defaultChild as CfnResource,
    );
    const roleRef = (role: IRole | undefined) => ({
      Ref: Stack.of(role as IRole).getLogicalId(role?.node.defaultChild as CfnResource),
    });
    const deliveryRole = roleRef(synthesized.stack.notificationDelivery.function.role);
    const openingRole = roleRef(
      synthesized.stack.api.functions.get('open-payment-details')?.role as IRole,
    );
    type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
    const decrypting: { roles: unknown; statement: Statement }[] = [];
    for (const { properties } of resourcesOfType(synthesized, 'AWS::IAM::Policy')) {
      const document = properties.PolicyDocument as { Statement: Statement[] };
      expect(JSON.stringify(document)).not.toMatch(/kms:\*/);
      for (const statement of document.Statement) {
        if (![statement.Action].flat().includes('kms:Decrypt')) continue;
        expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
        if (JSON.stringify(statement.Resource).includes(contactKeyId)) {
          decrypting.push({ roles: properties.Roles, statement });
        }
      }
    }
    expect(decrypting.map((entry) => entry.roles)).toEqual(
      expect.arrayContaining([[deliveryRole], [openingRole]]),
    );
    expect(decrypting).toHaveLength(2);
    for (const { statement } of decrypting) {
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'tipster-contact' } },
      });
      expect(JSON.stringify(statement.Resource)).toContain(contactKeyId);
    }
    const deliver = synthesized.template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { CONTACT_KEY_ID: Match.anyValue() } } },
    });
    // The routes that seal (intake, the claim) and the delivery that opens: no other.
    expect(Object.keys(deliver).some((id) => id.includes('NotificationDelivery'))).toBe(true);
  });

  it("binds the contact key's grant to the adapter's encryption context", () => {
    expect(contactEncryptionContext).toEqual({ purpose: 'tipster-contact' });
  });
});

describe('the ledger export', () => {
  it('writes the file in a worker with 1024 MB for 15 minutes, not in a request (API Gateway waits 30 s)', () => {
    const worker = synthesized.stack.ledgerExports.worker;
    const { properties } = resourceOfType(
      synthesized,
      'AWS::Lambda::Function',
      logicalId(synthesized, worker.function),
    );
    expect(properties).toMatchObject({ MemorySize: 1024, Timeout: 900 });
    const grants = grantsOf(synthesized, worker.role).filter(beyondTableAndLogs);
    expect(grants).toEqual(
      ['s3:AbortMultipartUpload', 's3:PutObject'].map((action) =>
        resolvedGrant(
          synthesized,
          action,
          synthesized.stack.evidence.bucket.arnForObjects('exports/*'),
        ),
      ),
    );
    const [config] = resourcesOfType(synthesized, 'AWS::Lambda::EventInvokeConfig');
    expect(config?.properties).toMatchObject({ MaximumRetryAttempts: 0 });
  });

  it('writes and reads only under exports/, which expire after a day', () => {
    const { properties } = resourceOfType(
      synthesized,
      'AWS::S3::Bucket',
      logicalId(synthesized, synthesized.stack.evidence.bucket),
    );
    expect((properties.LifecycleConfiguration as { Rules: unknown[] }).Rules).toContainEqual(
      expect.objectContaining({
        Id: 'expire-exports',
        Prefix: 'exports/',
        ExpirationInDays: 1,
        Status: 'Enabled',
      }),
    );
  });
});

describe('the tipster secrets', () => {
  it('generates a receipt key of at least 32 bytes, base64-safe, never rotated, retained', () => {
    const secret = resourceOfType(
      synthesized,
      'AWS::SecretsManager::Secret',
      logicalId(synthesized, synthesized.stack.secrets.receiptKey),
    );
    const generate = secret.properties.GenerateSecretString as Record<string, unknown>;
    // Letters and digits only: valid base64, 6 bits a character.
    expect(generate).toEqual({
      PasswordLength: expect.any(Number),
      ExcludePunctuation: true,
      IncludeSpace: false,
      RequireEachIncludedType: false,
    });
    const length = generate.PasswordLength as number;
    expect(length % 4).toBe(0);
    expect((length / 4) * 3).toBeGreaterThanOrEqual(32);
    expect(resourcesOfType(synthesized, 'AWS::SecretsManager::RotationSchedule')).toEqual([]);
    synthesized.template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('says why the receipt key is not rotated', () => {
    const acknowledged = synthesized.stack.secrets.receiptKey.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((entry) => entry.data as Record<string, string>);
    const reasons = acknowledged.flatMap((data) =>
      Object.entries(data).filter(([id]) => id.endsWith('AwsSolutions-SMG4')),
    );
    expect(reasons).toEqual([[expect.any(String), expect.stringMatching(/orphan/)]]);
  });

  it('seals contacts with a retained KMS key that rotates', () => {
    synthesized.template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: { EnableKeyRotation: true },
    });
  });
});

describe('the photo processor', () => {
  const processor = () => synthesized.stack.photoProcessor;
  const bucketId = () => logicalId(synthesized, synthesized.stack.evidence.bucket);

  it('runs on arm64 with 1024 MB for 30 s, sending failed events to the queue', () => {
    const { properties } = resourceOfType(
      synthesized,
      'AWS::Lambda::Function',
      logicalId(synthesized, processor().function.function),
    );
    expect(properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 30,
      DeadLetterConfig: {
        TargetArn: { 'Fn::GetAtt': [logicalId(synthesized, processor().deadLetterQueue), 'Arn'] },
      },
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: logicalId(synthesized, synthesized.stack.table.table) },
          EVIDENCE_BUCKET: { Ref: bucketId() },
          CODE_VERSION: '0.0.0-test',
          POWERTOOLS_SERVICE_NAME: 'qingling',
        },
      },
    });
    expect(Object.keys((properties.Environment as { Variables: object }).Variables)).toHaveLength(
      4,
    );
  });

  it('is invoked for every object created under incoming/, and only there', () => {
    const [notifications, ...others] = resourcesOfType(
      synthesized,
      'Custom::S3BucketNotifications',
    );
    expect(others).toEqual([]);
    expect(notifications?.properties).toMatchObject({
      BucketName: { Ref: bucketId() },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            LambdaFunctionArn: aliasArn(logicalId(synthesized, processor().function.function)),
          },
        ],
      },
    });
  });

  it('is invoked by S3 through its alias live, for the evidence bucket of this account only', () => {
    const fnId = logicalId(synthesized, processor().function.function);
    const permissions = resourcesOfType(synthesized, 'AWS::Lambda::Permission').filter(
      ({ properties }) => properties.Principal === 's3.amazonaws.com',
    );
    expect(permissions.map(({ properties }) => properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        FunctionName: aliasArn(fnId),
        SourceArn: { 'Fn::GetAtt': [bucketId(), 'Arn'] },
        SourceAccount: { Ref: 'AWS::AccountId' },
      },
    ]);
    // The permission waits for the alias, and the notification for the permission.
    const [permission] = permissions;
    const aliasId = logicalId(synthesized, processor().function.alias);
    expect(synthesized.template.toJSON().Resources[permission?.logicalId ?? ''].DependsOn).toEqual([
      aliasId,
    ]);
    const [notifications] = resourcesOfType(synthesized, 'Custom::S3BucketNotifications');
    expect(
      synthesized.template.toJSON().Resources[notifications?.logicalId ?? ''].DependsOn,
    ).toContain(permission?.logicalId);
  });

  it('may read and delete uploads and write cleaned photos, but never write to incoming/', () => {
    const s = synthesized;
    const bucket = s.stack.evidence.bucket;
    expect(grantsOf(s, processor().function.role).filter(beyondTableAndLogs)).toEqual(
      [
        resolvedGrant(s, 's3:GetObject', bucket.arnForObjects('incoming/*')),
        resolvedGrant(s, 's3:DeleteObject', bucket.arnForObjects('incoming/*')),
        resolvedGrant(s, 's3:DeleteObjectVersion', bucket.arnForObjects('incoming/*')),
        resolvedGrant(s, 's3:PutObject', bucket.arnForObjects('tips/*')),
        // A hazard's photo: looked for first (the first stored copy is final), then stored.
        resolvedGrant(s, 's3:GetObject', bucket.arnForObjects('evidence/*')),
        resolvedGrant(s, 's3:PutObject', bucket.arnForObjects('evidence/*')),
        resolvedGrant(s, 's3:ListBucket', bucket.bucketArn),
        resolvedGrant(s, 'sqs:SendMessage', processor().deadLetterQueue.queueArn),
      ].sort(),
    );
    const lines = grantsOf(s, processor().function.role);
    expect(lines.some((line) => line.startsWith('dynamodb:PutItem'))).toBe(true);
    expect(lines.some((line) => line.startsWith('dynamodb:DeleteItem'))).toBe(false);
  });

  it('keeps failed events in an encrypted, TLS-only queue no longer than their upload', () => {
    const queueId = logicalId(synthesized, processor().deadLetterQueue);
    const queue = resourceOfType(synthesized, 'AWS::SQS::Queue', queueId);
    expect(queue.properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 24 * 60 * 60,
    });
    synthesized.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('expires unprocessed uploads, the originals the processor deleted and their delete markers as soon as S3 allows', () => {
    const bucket = resourceOfType(synthesized, 'AWS::S3::Bucket', bucketId());
    const rules = (bucket.properties.LifecycleConfiguration as { Rules: object[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'incoming/',
        Status: 'Enabled',
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'incoming/',
        Status: 'Enabled',
        ExpiredObjectDeleteMarker: true,
      }),
    );
    // A day is S3's minimum; no rule on incoming/ waits longer.
    for (const rule of rules as Record<string, unknown>[]) {
      if (rule.Prefix !== 'incoming/') continue;
      for (const days of [
        rule.ExpirationInDays,
        (rule.NoncurrentVersionExpiration as { NoncurrentDays?: number } | undefined)
          ?.NoncurrentDays,
      ]) {
        if (days !== undefined) expect(days).toBe(1);
      }
    }
  });

  it("keeps CDK's notification handler's logs for a limited time", () => {
    const handlers = resourcesOfType(synthesized, 'AWS::Lambda::Function').filter(
      ({ logicalId: id }) => id.startsWith('BucketNotificationsHandler'),
    );
    expect(handlers).toHaveLength(1);
    const loggingConfig = handlers[0]?.properties.LoggingConfig as
      | { LogGroup: { Ref: string } }
      | undefined;
    const logGroupRef = loggingConfig?.LogGroup.Ref;
    const logGroup = resourceOfType(synthesized, 'AWS::Logs::LogGroup', logGroupRef);
    expect(logGroup.properties.RetentionInDays).toEqual(expect.any(Number));
  });
});

describe('the orphan upload sweep', () => {
  it('may list evidence/ and delete there, read hazards only, and nothing of tips or uploads', () => {
    const s = synthesized;
    const bucket = s.stack.evidence.bucket;
    const role = s.stack.orphanUploadSweep.function.role;
    expect(grantsOf(s, role).filter(beyondTableAndLogs)).toEqual(
      [
        resolvedGrant(s, 's3:DeleteObject', bucket.arnForObjects('evidence/*')),
        resolvedGrant(s, 's3:ListBucket', bucket.bucketArn, {
          StringLike: { 's3:prefix': ['evidence/*'] },
        }),
      ].sort(),
    );
    const table = grantsOf(s, role).filter((line) => line.startsWith('dynamodb:'));
    expect(table.some((line) => /PutItem|UpdateItem|DeleteItem/.test(line))).toBe(false);
    expect(table.every((line) => line.includes('"HAZARD#*"'))).toBe(true);
  });
});

describe('sharp for Lambda (linux arm64)', () => {
  const rootVersion = () =>
    (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies.sharp;

  it('installs from a lock file holding the arm64 builds of the root package.json sharp', () => {
    const lock = JSON.parse(readFileSync(nativeModulesLockFile, 'utf8')) as {
      packages: Record<
        string,
        {
          version?: string;
          dependencies?: Record<string, string>;
          optionalDependencies?: Record<string, string>;
        }
      >;
    };
    const sharp = lock.packages['node_modules/sharp'];
    expect(sharp?.version).toBe(rootVersion());
    expect(lock.packages['']?.dependencies).toEqual({ sharp: rootVersion() });
    for (const name of ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64']) {
      const locked = lock.packages[`node_modules/${name}`];
      expect(locked?.version, name).toBe(sharp?.optionalDependencies?.[name]);
    }
    const manifest = JSON.parse(
      readFileSync(join(dirname(nativeModulesLockFile), 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(manifest.dependencies).toEqual({ sharp: rootVersion() });
  });

  it('tells npm to install for linux arm64 with glibc, prebuilt, without install scripts', () => {
    expect(nativeModulesNpmEnvironment).toMatchObject({
      npm_config_os: 'linux',
      npm_config_cpu: 'arm64',
      npm_config_libc: 'glibc',
      npm_config_ignore_scripts: 'true',
    });
  });
});

describe('throttling of the receipt routes', () => {
  const receiptRoutes = routes.filter(
    (route: RouteDefinition) =>
      route.access.kind === 'public' && (route.uses ?? []).includes('receiptKey'),
  );

  it('gives each public route that takes or mints receipts its own tighter limits', () => {
    expect(receiptRoutes.map((route) => route.operationId)).toEqual(
      expect.arrayContaining(['createTip', 'lookupTip']),
    );
    const stage = resourceOfType(synthesized, 'AWS::ApiGatewayV2::Stage');
    expect(stage.properties.RouteSettings).toEqual(
      Object.fromEntries(
        receiptRoutes.map((route) => [
          `${route.method} ${route.path}`,
          { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        ]),
      ),
    );
  });

  it('creates the stage after those routes (a stage may only name existing routes)', () => {
    const stage = Object.values(synthesized.template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const routeIds = resourcesOfType(synthesized, 'AWS::ApiGatewayV2::Route')
      .filter(({ properties }) =>
        receiptRoutes.some((route) => properties.RouteKey === `${route.method} ${route.path}`),
      )
      .map(({ logicalId: id }) => id);
    expect(routeIds).toHaveLength(receiptRoutes.length);
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('passes cdk-nag in both deployments', () => {
    expect(synthesized.nagViolations).toEqual([]);
    expect(extended.nagViolations).toEqual([]);
  });
});
