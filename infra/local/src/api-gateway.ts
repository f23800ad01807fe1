import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { apiError } from '@qingling/shared/api/errors.ts';
import type { RouteDefinition } from '@qingling/shared/api/routes.ts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JWTPayload } from 'jose';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameterNames: string[];
}

/** Turns `/api/tips/{id}` into a matcher, as API Gateway does for its route keys. */
function compile(route: RouteDefinition): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(match[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
}

export interface GatewayRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * The embedded cloud's API Gateway (HTTP API, payload format 2.0): it matches the route
 * table, runs the JWT authorizer for signed-in routes, and calls the same Lambda handler
 * that AWS would call with the same event shape. Like principle 4 demands, the event it
 * builds carries no client address or user agent.
 */
export class LocalApiGateway {
  private readonly compiled: CompiledRoute[];
  private readonly loadHandler: (name: string) => Promise<LambdaHandler>;
  private readonly verifyToken: (token: string) => Promise<JWTPayload | null>;

  constructor(options: {
    routes: readonly RouteDefinition[];
    loadHandler: (name: string) => Promise<LambdaHandler>;
    verifyToken: (token: string) => Promise<JWTPayload | null>;
  }) {
    this.compiled = options.routes.map(compile);
    this.loadHandler = options.loadHandler;
    this.verifyToken = options.verifyToken;
  }

  async handle(request: GatewayRequest): Promise<APIGatewayProxyStructuredResultV2> {
    let match: ReturnType<LocalApiGateway['match']>;
    try {
      match = this.match(request.method, request.url.pathname);
    } catch (error) {
      if (!(error instanceof URIError)) throw error;
      // A path parameter with malformed percent-encoding (`%`, `%E0%A4%A`): the caller's
      // mistake, answered in the API's error shape before any handler or authorizer runs.
      const { status, body } = apiError('malformed_path');
      return {
        statusCode: status,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        body: JSON.stringify(body),
      };
    }
    if (!match) return { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) };
    const { route, pathParameters } = match;

    let claims: JWTPayload | null = null;
    if (route.access.kind === 'signedIn') {
      const header = request.headers.authorization ?? '';
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
      claims = token ? await this.verifyToken(token) : null;
      // API Gateway answers an unauthorized request itself, with this exact body.
      if (!claims) return { statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) };
    }

    const handler = await this.loadHandler(route.handler);
    return handler(toEvent(request, route, pathParameters, claims));
  }

  private match(method: string, path: string) {
    for (const candidate of this.compiled) {
      if (candidate.route.method !== method) continue;
      const found = candidate.pattern.exec(path);
      if (!found) continue;
      const pathParameters: Record<string, string> = {};
      candidate.parameterNames.forEach((name, index) => {
        pathParameters[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { route: candidate.route, pathParameters };
    }
    return null;
  }
}

const textTypes = /^(application\/(json|x-www-form-urlencoded)|text\/)/;

function toEvent(
  request: GatewayRequest,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
  claims: JWTPayload | null,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    // Anonymity: the user agent and forwarding addresses never reach a handler.
    if (value === undefined || /^(user-agent|x-forwarded-for|x-real-ip|forwarded)$/i.test(name)) {
      continue;
    }
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // A map, not an object literal: `?constructor=x` or `?__proto__=x` must arrive as the
  // plain strings API Gateway gives, not meet Object.prototype.
  const query = new Map<string, string>();
  for (const [name, value] of request.url.searchParams) {
    const before = query.get(name);
    query.set(name, before === undefined ? value : `${before},${value}`);
  }
  const isText = textTypes.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const event = {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: request.url.pathname,
    rawQueryString: request.url.search.replace(/^\?/, ''),
    headers,
    ...(query.size ? { queryStringParameters: Object.fromEntries(query) } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: request.url.host,
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: request.url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '0.0.0.0',
        userAgent: '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: jwtAuthorizerContext(claims) } : {}),
    },
    body: request.body.length
      ? isText
        ? request.body.toString('utf8')
        : request.body.toString('base64')
      : undefined,
    isBase64Encoded: request.body.length > 0 && !isText,
  };
  return event as APIGatewayProxyEventV2;
}

/** What a JWT authorizer puts in the event: API Gateway passes every claim as a string. */
export function jwtAuthorizerContext(claims: JWTPayload) {
  return {
    jwt: {
      claims: Object.fromEntries(
        Object.entries(claims).map(([name, value]) => [
          name,
          Array.isArray(value) ? `[${value.join(' ')}]` : String(value),
        ]),
      ),
      scopes: null,
    },
  };
}
