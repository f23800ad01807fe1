import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { claimsForPrincipal, type Principal } from '@qingling/shared/auth/principal.ts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { generateKeyPair, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { jwtAuthorizerContext } from '../local/src/api-gateway.ts';
import { AwsEndpoint, type Denial } from './aws-endpoint.ts';
import { LambdaRuntime } from './lambda-runtime.ts';
import { CognitoService } from './services/cognito.ts';
import { DynamoDbService } from './services/dynamodb.ts';
import { kms, SecretsManagerService } from './services/keys.ts';
import { LambdaService } from './services/lambda.ts';
import { MessagingService } from './services/messaging.ts';
import { S3Service } from './services/s3.ts';
import { StepFunctionsService } from './services/step-functions.ts';
import type { DeployedTemplate } from './template.ts';

/**
 * The synthesized template, run on one machine: its functions (built bundles, their
 * environments, their roles enforced), its tables, state machines, topics, queues, secrets
 * and keys, and its HTTP API with the JWT authorizer, as a deployment would have them.
 * Custom resources run at "deploy" time, before the first request. Journeys then drive it
 * over HTTP exactly as they drive a real deployment (npm run smoke), through CloudFront
 * when the template has a distribution: the harness plays its /api/* behaviour.
 */

interface ApiRoute {
  method: string;
  pattern: RegExp;
  parameterNames: string[];
  routeKey: string;
  functionArn: string;
  jwt?: { issuer: string; audience: string[] };
}

export class TemplateHarness {
  readonly template: DeployedTemplate;
  readonly endpoint: AwsEndpoint;
  readonly runtime: LambdaRuntime;
  readonly dynamodb: DynamoDbService;
  readonly stepFunctions: StepFunctionsService;
  readonly messaging: MessagingService;
  readonly s3: S3Service;
  readonly secretsManager: SecretsManagerService;
  readonly lambda: LambdaService;
  /** The user pool's administrative API (the users-and-roles handlers). */
  readonly cognito: CognitoService;
  /** What custom resources answered at deploy time, by logical id. */
  readonly customResources = new Map<string, { Status: string; Reason?: string; Data?: unknown }>();
  /**
   * Where journeys send /api/* requests: the site's address when the template has a
   * distribution (the harness plays CloudFront), else the API's own endpoint.
   */
  apiUrl = '';
  /** The API's own endpoint (execute-api): what a caller who skips CloudFront reaches. */
  executeApiUrl = '';
  /** The headers CloudFront adds to /api/* origin requests, as last deployed. */
  originHeaders: Record<string, string> = {};
  private server?: Server;
  private cloudFront?: Server;
  private routes: ApiRoute[] = [];
  private signingKey?: CryptoKey;
  private verifyingKey?: CryptoKey;

  private constructor(template: DeployedTemplate, endpoint: AwsEndpoint) {
    this.template = template;
    this.endpoint = endpoint;
    this.runtime = new LambdaRuntime(template, { endpoint: endpoint.url });
    this.dynamodb = new DynamoDbService(template);
    this.stepFunctions = new StepFunctionsService(template, this.runtime, endpoint.authority);
    this.messaging = new MessagingService(template, this.runtime, (role) =>
      endpoint.authority.caller(role),
    );
    this.s3 = new S3Service(template, this.runtime, (role) => endpoint.authority.caller(role));
    this.secretsManager = new SecretsManagerService(template);
    this.lambda = new LambdaService(this.runtime);
    this.cognito = new CognitoService(template);
  }

  static async start(template: DeployedTemplate): Promise<TemplateHarness> {
    const endpoint = new AwsEndpoint(template);
    await endpoint.start();
    const harness = new TemplateHarness(template, endpoint);
    await harness.dynamodb.start();
    endpoint.register('dynamodb', harness.dynamodb.registration());
    endpoint.register('states', harness.stepFunctions.registration());
    endpoint.register('sns', harness.messaging.sns());
    endpoint.register('ses', harness.messaging.ses());
    endpoint.register('secretsmanager', harness.secretsManager.registration());
    endpoint.register('kms', kms(template));
    endpoint.register('s3', harness.s3.registration());
    endpoint.register('lambda', harness.lambda.registration());
    endpoint.register('cognito-idp', harness.cognito.registration());
    // A browser's upload with a presigned POST form carries its own signature.
    endpoint.serveUnsigned(harness.s3.uploadForm());
    const pair = await generateKeyPair('ES256');
    harness.signingKey = pair.privateKey;
    harness.verifyingKey = pair.publicKey;
    // Step Functions tells EventBridge of every execution's status change.
    harness.stepFunctions.onEnded = (execution) =>
      harness.messaging.putEvent({
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        detail: {
          executionArn: execution.arn,
          stateMachineArn: execution.machine.arn,
          name: execution.name,
          status: execution.status,
          input: execution.input,
          stopDate: execution.stopDate?.getTime() ?? null,
        },
      });
    await harness.serveApi();
    await harness.serveCloudFront();
    await harness.deployCustomResources();
    return harness;
  }

  /** Every call a role made that its policies refused. */
  get denials(): Denial[] {
    return this.endpoint.authority.denials;
  }

  /**
   * Everything that went wrong inside, which a reply may hide: calls a role's policies
   * refused, function errors, and what functions logged at ERROR level.
   */
  problems(): string[] {
    const problems = this.denials.map((denial) => `denied to ${denial.role}: ${denial.message}`);
    problems.push(...this.messaging.undelivered.map((message) => `not delivered: ${message}`));
    problems.push(
      ...this.s3.failed.map(
        (failure) =>
          `S3 notification to ${failure.functionArn} failed (${failure.attempts} attempts): ${failure.error}`,
      ),
    );
    for (const invocation of this.runtime.invocations) {
      if (invocation.error) {
        problems.push(
          `${invocation.functionName} failed: ${invocation.error.type}: ${invocation.error.message}`,
        );
      }
    }
    for (const [functionName, lines] of this.runtime.logs) {
      for (const line of lines) {
        if (/"level":"(ERROR|CRITICAL)"/.test(line) || /^(\w*Error|worker error)/.test(line)) {
          problems.push(`${functionName} logged: ${line.slice(0, 600)}`);
        }
      }
    }
    return problems;
  }

  /** The CloudWatch metrics functions wrote (embedded metric format), summed by name. */
  metrics(): Record<string, number> {
    const sums: Record<string, number> = {};
    for (const lines of this.runtime.logs.values()) {
      for (const line of lines) {
        if (!line.includes('"CloudWatchMetrics"')) continue;
        const record = JSON.parse(line) as {
          _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
        } & Record<string, unknown>;
        for (const { Metrics } of record._aws.CloudWatchMetrics) {
          for (const { Name } of Metrics)
            sums[Name] = (sums[Name] ?? 0) + Number(record[Name] ?? 0);
        }
      }
    }
    return sums;
  }

  /** The issuer and audience the template's JWT authorizer accepts. */
  get jwtSettings(): { issuer: string; audience: string[] } {
    const [authorizer] = this.template.ofType('AWS::ApiGatewayV2::Authorizer');
    if (!authorizer) throw new Error('The template has no JWT authorizer');
    const config = this.template.resolve(authorizer.resource.Properties?.JwtConfiguration) as {
      Issuer: string;
      Audience: string[];
    };
    return { issuer: config.Issuer, audience: config.Audience };
  }

  /** A token as the deployment's issuer (Cognito or the OIDC provider) would sign it. */
  async tokenFor(principal: Principal): Promise<string> {
    const { issuer, audience } = this.jwtSettings;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claimsForPrincipal(principal), token_use: 'id' })
      .setProtectedHeader({ alg: 'ES256', kid: 'harness' })
      .setIssuer(issuer)
      .setAudience(audience[0] ?? '')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(this.signingKey as CryptoKey);
  }

  /** Resolves when no delivery (topic, queue, function) is under way. */
  async settled(): Promise<void> {
    await this.lambda.settled();
    await this.s3.settled();
    await this.messaging.settled();
  }

  async stop(): Promise<void> {
    await this.stepFunctions.stop();
    await this.runtime.stop();
    for (const server of [this.server, this.cloudFront]) {
      server?.closeAllConnections();
      server?.close();
    }
    await this.endpoint.stop();
    await this.dynamodb.stop();
  }

  /** What each function logged, for a failing test to print. */
  logsOf(functionReference: string): string[] {
    return this.runtime.logs.get(this.runtime.find(functionReference).logicalId) ?? [];
  }

  private async serveApi(): Promise<void> {
    const template = this.template;
    for (const { resource } of template.ofType('AWS::ApiGatewayV2::Route')) {
      const properties = resource.Properties ?? {};
      const routeKey = String(template.resolve(properties.RouteKey));
      const [method = '', path = ''] = routeKey.split(' ');
      const integrationId = template.logicalIdOf(
        (properties.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1],
      );
      const functionArn = String(
        template.resolve(template.resource(integrationId ?? '').Properties?.IntegrationUri),
      );
      const parameterNames: string[] = [];
      const source = path
        .split('/')
        .map((segment) => {
          const name = /^\{(\w+)\}$/.exec(segment)?.[1];
          if (!name) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          parameterNames.push(name);
          return '([^/]+)';
        })
        .join('/');
      const authorizerId = template.logicalIdOf(properties.AuthorizerId);
      const jwt =
        properties.AuthorizationType === 'JWT' && authorizerId
          ? (template.resolve(template.resource(authorizerId).Properties?.JwtConfiguration) as {
              Issuer: string;
              Audience: string[];
            })
          : undefined;
      this.routes.push({
        method,
        pattern: new RegExp(`^${source}$`),
        parameterNames,
        routeKey,
        functionArn,
        ...(jwt ? { jwt: { issuer: jwt.Issuer, audience: jwt.Audience } } : {}),
      });
    }
    this.server = createServer((request, response) => {
      void this.handleApi(request, request.headers).then((result) => reply(response, result));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.executeApiUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.apiUrl = this.executeApiUrl;
  }

  /**
   * CloudFront's /api/* behaviour, when the template has a distribution: the viewer's
   * headers less those its origin request policy leaves out, plus the origin's custom
   * headers (which replace a viewer's header of the same name), on to the API.
   */
  private async serveCloudFront(): Promise<void> {
    const [distribution] = this.template.ofType('AWS::CloudFront::Distribution');
    if (!distribution) return;
    const config = this.template.resolve(
      distribution.resource.Properties?.DistributionConfig,
    ) as CloudFrontConfig;
    const behavior = config.CacheBehaviors?.find((candidate) => candidate.PathPattern === '/api/*');
    if (!behavior) return;
    const origin = config.Origins.find((candidate) => candidate.Id === behavior.TargetOriginId);
    // The policy by logical id: resolved, its Ref would be an id the template does not hold.
    const unresolved = distribution.resource.Properties?.DistributionConfig as CloudFrontConfig;
    const policyId = this.template.logicalIdOf(
      unresolved.CacheBehaviors?.find((candidate) => candidate.PathPattern === '/api/*')
        ?.OriginRequestPolicyId,
    );
    const policy = policyId ? this.template.resource(policyId) : undefined;
    const headersConfig = (
      this.template.resolve(policy?.Properties?.OriginRequestPolicyConfig) as
        | { HeadersConfig?: { HeaderBehavior?: string; Headers?: string[] } }
        | undefined
    )?.HeadersConfig;
    const withheld = new Set(
      headersConfig?.HeaderBehavior === 'allExcept'
        ? (headersConfig.Headers ?? []).map((name) => name.toLowerCase())
        : [],
    );
    this.deployDistribution = () => {
      this.originHeaders = Object.fromEntries(
        (origin?.OriginCustomHeaders ?? []).map(({ HeaderName, HeaderValue }) => [
          HeaderName.toLowerCase(),
          this.withDynamicReferences(HeaderValue),
        ]),
      );
    };
    this.deployDistribution();
    this.cloudFront = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://cloudfront').pathname;
      // Only /api/* is the API's; the rest would be the site bucket, which the harness lacks.
      if (!path.startsWith('/api/')) {
        reply(response, { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });
        return;
      }
      const headers: Record<string, string | string[] | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (!withheld.has(name)) headers[name] = value;
      }
      Object.assign(headers, this.originHeaders);
      void this.handleApi(request, headers).then((result) => reply(response, result));
    });
    this.cloudFront.listen(0, '127.0.0.1');
    await once(this.cloudFront, 'listening');
    this.apiUrl = `http://127.0.0.1:${(this.cloudFront.address() as AddressInfo).port}`;
  }

  /**
   * A stack update of the distribution: CloudFormation resolves its dynamic references
   * again (a pinned version id, or AWSCURRENT), e.g. after a rotation of a secret.
   */
  deployDistribution: () => void = () => {};

  /** {{resolve:secretsmanager:…}} against the Secrets Manager stand-in, as CloudFormation does. */
  private withDynamicReferences(value: string): string {
    return value.replace(
      /\{\{resolve:secretsmanager:(.+?):SecretString:([^:]*):([^:]*):([^:}]*)\}\}/g,
      (_reference, secretId: string, jsonKey: string, stage: string, versionId: string) => {
        const secret = this.secretsManager.valueOf(secretId, {
          ...(versionId ? { id: versionId } : {}),
          ...(stage ? { stage } : {}),
        });
        return jsonKey ? String((JSON.parse(secret) as Record<string, unknown>)[jsonKey]) : secret;
      },
    );
  }

  /** API Gateway (HTTP API, payload 2.0): route, JWT authorizer, Lambda permission, invoke. */
  private async handleApi(
    request: IncomingMessage,
    requestHeaders: Record<string, string | string[] | undefined>,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', this.apiUrl);
    const method = request.method ?? 'GET';
    let found: { route: ApiRoute; values: string[] } | undefined;
    for (const route of this.routes) {
      const match = route.method === method ? route.pattern.exec(url.pathname) : null;
      if (match) {
        found = { route, values: match.slice(1) };
        break;
      }
    }
    if (!found) return { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) };
    const { route, values } = found;
    let claims: JWTPayload | undefined;
    if (route.jwt) {
      const token = /^Bearer\s+(.+)$/i.exec(String(requestHeaders.authorization ?? ''))?.[1];
      claims = token ? await this.verify(token, route.jwt) : undefined;
      if (!claims) return { statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) };
    }
    if (!this.apiMayInvoke(route.functionArn)) {
      return { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(requestHeaders)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams)
      query[name] = query[name] ? `${query[name]},${value}` : value;
    const isText = /^(application\/(json|x-www-form-urlencoded)|text\/)/.test(
      headers['content-type'] ?? 'application/json',
    );
    const now = new Date();
    const event = {
      version: '2.0',
      routeKey: route.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(route.parameterNames.length
        ? {
            pathParameters: Object.fromEntries(
              route.parameterNames.map((name, index) => [name, decodedOrRaw(values[index] ?? '')]),
            ),
          }
        : {}),
      requestContext: {
        accountId: this.template.place.account,
        apiId: 'harness',
        domainName: url.host,
        domainPrefix: 'harness',
        http: {
          method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: '198.51.100.7',
          userAgent: 'harness',
        },
        requestId: randomUUID(),
        routeKey: route.routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: jwtAuthorizerContext(claims) } : {}),
      },
      body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
      isBase64Encoded: body.length > 0 && !isText,
    } as APIGatewayProxyEventV2;
    try {
      const result = (await this.runtime.invoke(route.functionArn, event)) as
        | APIGatewayProxyStructuredResultV2
        | string;
      return typeof result === 'string' ? { statusCode: 200, body: result } : result;
    } catch {
      // A function error: API Gateway answers 500 with this body.
      return { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) };
    }
  }

  private async verify(token: string, jwt: { issuer: string; audience: string[] }) {
    try {
      const { payload } = await jwtVerify(token, this.verifyingKey as CryptoKey, {
        issuer: jwt.issuer,
      });
      const audiences = [payload.aud, payload.client_id].flat().filter(Boolean) as string[];
      return audiences.some((audience) => jwt.audience.includes(audience)) ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  /** API Gateway may call a function only where a Lambda permission lets it. */
  private apiMayInvoke(functionArn: string): boolean {
    return this.template.ofType('AWS::Lambda::Permission').some(({ resource }) => {
      const properties = this.template.resolve(resource.Properties) as Record<string, unknown>;
      return (
        properties.Principal === 'apigateway.amazonaws.com' &&
        properties.Action === 'lambda:InvokeFunction' &&
        String(properties.FunctionName) === functionArn
      );
    });
  }

  /**
   * Custom resources at deploy time, in template order: CDK's own (bucket notifications,
   * site deployment) are applied by the harness; Qingling's are Lambda-backed and run their
   * function with CloudFormation's Create event, answering at a response URL.
   */
  private async deployCustomResources(): Promise<void> {
    for (const [logicalId, resource] of Object.entries(this.template.resources)) {
      if (
        !resource.Type.startsWith('Custom::') &&
        resource.Type !== 'AWS::CloudFormation::CustomResource'
      ) {
        continue;
      }
      if (
        resource.Type === 'Custom::S3BucketNotifications' ||
        resource.Type === 'Custom::CDKBucketDeployment'
      ) {
        continue;
      }
      const properties = this.template.resolve(resource.Properties) as Record<string, unknown>;
      const answer = await this.runCustomResource(logicalId, resource.Type, properties);
      this.customResources.set(logicalId, answer);
      if (answer.Status !== 'SUCCESS') {
        throw new Error(
          `Custom resource ${logicalId} failed: ${answer.Reason ?? 'no reason given'}`,
        );
      }
    }
  }

  private async runCustomResource(
    logicalId: string,
    type: string,
    properties: Record<string, unknown>,
  ): Promise<{ Status: string; Reason?: string; Data?: unknown }> {
    const server = createServer();
    const answered = new Promise<{ Status: string; Reason?: string }>((resolve) => {
      server.on('request', async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        response.end();
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const invoked = this.runtime.invoke(String(properties.ServiceToken), {
        RequestType: 'Create',
        ServiceToken: properties.ServiceToken,
        ResponseURL: `http://127.0.0.1:${port}/response`,
        StackId: this.template.resolve({ Ref: 'AWS::StackId' }),
        RequestId: randomUUID(),
        LogicalResourceId: logicalId,
        ResourceType: type,
        ResourceProperties: properties,
      });
      const timeout = new Promise<{ Status: string; Reason: string }>((resolve) =>
        setTimeout(
          () => resolve({ Status: 'FAILED', Reason: 'no answer within 60 s' }),
          60_000,
        ).unref(),
      );
      void invoked.catch(() => undefined);
      const answer = await Promise.race([answered, timeout, invoked.then(() => answered)]);
      return answer;
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
}

interface CloudFrontConfig {
  Origins: {
    Id: string;
    OriginCustomHeaders?: { HeaderName: string; HeaderValue: string }[];
  }[];
  CacheBehaviors?: {
    PathPattern: string;
    TargetOriginId: string;
    OriginRequestPolicyId?: unknown;
  }[];
}

function reply(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response.writeHead(result.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(result.headers as Record<string, string>),
  });
  response.end(
    result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''),
  );
}

/** A path parameter as the handler gets it: decoded, or as sent when it is not valid encoding. */
function decodedOrRaw(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
