import { claimsForPrincipal, type Principal } from '@qingling/shared/auth/principal.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An API Gateway HTTP API (payload 2.0) event, as AWS would build it, for handler tests. */
export function apiEvent(options: {
  method?: string;
  path: string;
  body?: unknown;
  rawBody?: string;
  principal?: Principal;
  pathParameters?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'GET';
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey: `${method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.test',
      domainPrefix: 'example',
      http: {
        method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: 'test',
      },
      requestId: 'request-1',
      routeKey: `${method} ${options.path}`,
      stage: '$default',
      time: '22/Nov/2026:08:00:00 +0000',
      timeEpoch: 0,
      ...(options.principal
        ? { authorizer: { jwt: { claims: claimsForPrincipal(options.principal), scopes: null } } }
        : {}),
    },
    body,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

export const demoPrincipal = (overrides: Partial<Principal> = {}): Principal => ({
  userId: 'demo:cq-gecheng.administrator',
  name: '金鑫',
  roles: ['administrator'],
  jurisdictions: ['cq-gecheng'],
  ...overrides,
});
