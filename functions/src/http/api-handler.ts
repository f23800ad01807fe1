import { apiError, type ErrorCode } from '@qingling/shared/api/errors.ts';
import type { RouteDefinition } from '@qingling/shared/api/route-definition.ts';
import { validate } from '@qingling/shared/api/validation.ts';
import { type Principal, principalFromClaims } from '@qingling/shared/auth/principal.ts';
import { IdempotencyKeyReused } from '@qingling/shared/event-log/idempotency.ts';
import { InvalidCursor } from '@qingling/shared/ports/page-cursor.ts';
import type * as z from 'zod/mini';
import { logger } from '../observability/logger.ts';
import { type ApiEvent, type ApiResult, json } from './json.ts';

export type { ApiEvent, ApiResult };

/** A failure the caller can act on: answered as a 4xx with a bilingual message. */
export class ApiFailure extends Error {
  readonly code: ErrorCode;
  readonly issues: { path: string; message: { zh: string; en: string } }[] | undefined;
  /** On a conflict: the record as it is now. */
  readonly current: unknown;
  /** Headers of the answer, e.g. Retry-After on a 429. */
  readonly headers: Record<string, string>;
  constructor(
    code: ErrorCode,
    issues?: { path: string; message: { zh: string; en: string } }[],
    current?: unknown,
    headers: Record<string, string> = {},
  ) {
    super(code);
    this.code = code;
    this.issues = issues;
    this.current = current;
    this.headers = headers;
  }

  /** A 429 that says when to come back: Retry-After in whole seconds, at least 1. */
  static retryLater(code: ErrorCode, retryAfterSeconds: number): ApiFailure {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiFailure(code, undefined, undefined, { 'retry-after': String(seconds) });
  }
}

/** A domain's route table (coreRoutes, tipRoutes, hazardRoutes…). */
type RouteTable = readonly RouteDefinition[];
type RouteOf<Table extends RouteTable, Id> = Extract<Table[number], { operationId: Id }>;
type BodyOf<R> = R extends { request: { body: infer S extends z.ZodMiniType } }
  ? z.output<S>
  : undefined;
type ReplyOf<R> = R extends { response: { body: infer S extends z.ZodMiniType } }
  ? z.input<S>
  : never;

export interface ApiRequest<Body> {
  body: Body;
  principal: Principal | null;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  pathParameters: Record<string, string | undefined>;
}

function routeIn(table: RouteTable, operationId: string): RouteDefinition {
  const route = table.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`No route ${operationId}`);
  return route;
}

export const failure = (
  code: ErrorCode,
  issues?: ApiFailure['issues'],
  current?: unknown,
  headers: Record<string, string> = {},
): ApiResult => {
  const { status, body } = apiError(code, issues, current);
  return json(status, body, headers);
};

function claimsOf(event: ApiEvent): Record<string, unknown> | null {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } })
    .authorizer;
  const claims = authorizer?.jwt?.claims;
  return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
}

function parseBody(route: RouteDefinition, event: ApiEvent): unknown {
  if (!route.request) return undefined;
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiFailure('bad_json');
  }
  const result = validate(route.request.body, parsed);
  if (!result.success) throw new ApiFailure('invalid_request', result.issues);
  return result.data;
}

/** A file instead of JSON (an export): its bytes as text, its type and its name. */
export class FileReply {
  readonly body: string;
  readonly contentType: string;
  readonly fileName: string;

  constructor(body: string, contentType: string, fileName: string) {
    this.body = body;
    this.contentType = contentType;
    this.fileName = fileName;
  }

  result(): ApiResult {
    return {
      statusCode: 200,
      headers: {
        'content-type': this.contentType,
        'content-disposition': `attachment; filename="${this.fileName}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: this.body,
    };
  }
}

/**
 * Wraps a route's implementation in what every API handler needs: the caller's principal
 * from the JWT authorizer's claims, a role check, body validation against the route's
 * schema, and errors as bilingual 4xx/5xx bodies. Handlers stay a few lines long.
 *
 * `apiHandlerFor(table)` gives the wrapper for one domain's route table; each handler takes
 * it from its domain's module (tip-api.ts, hazard-api.ts…), so that its bundle holds that
 * domain's schemas and no other's.
 */
export function apiHandlerFor<const Table extends RouteTable>(table: Table) {
  return function apiHandler<Id extends Table[number]['operationId']>(
    operationId: Id,
    implementation: (
      request: ApiRequest<BodyOf<RouteOf<Table, Id>>>,
    ) => Promise<ReplyOf<RouteOf<Table, Id>> | { status: number; body: unknown } | FileReply>,
  ): (event: ApiEvent) => Promise<ApiResult> {
    const route = routeIn(table, operationId);
    return async (event) => {
      try {
        const claims = claimsOf(event);
        const principal = claims ? principalFromClaims(claims) : null;
        if (route.access.kind === 'signedIn') {
          if (!principal) return failure('unauthenticated');
          const allowed = route.access.roles;
          if (allowed !== 'any' && !principal.roles.some((role) => allowed.includes(role))) {
            return failure('forbidden');
          }
        }
        if (route.pathParameters) {
          const parsed = route.pathParameters.schema.safeParse(event.pathParameters ?? {});
          if (!parsed.success) throw new ApiFailure('not_found');
        }
        const body = parseBody(route, event) as BodyOf<RouteOf<Table, Id>>;
        const reply = await implementation({
          body,
          principal,
          headers: event.headers ?? {},
          query: event.queryStringParameters ?? {},
          pathParameters: event.pathParameters ?? {},
        });
        if (reply instanceof FileReply) return reply.result();
        if (reply && typeof reply === 'object' && 'status' in reply && 'body' in reply) {
          return json(reply.status as number, reply.body);
        }
        return json(route.response.status, reply);
      } catch (error) {
        if (error instanceof ApiFailure) {
          return failure(error.code, error.issues, error.current, error.headers);
        }
        if (error instanceof InvalidCursor) return failure('invalid_cursor');
        if (error instanceof IdempotencyKeyReused) return failure('idempotency_key_reused');
        logger.error('Unhandled error', { operationId, error: error as Error });
        return failure('internal');
      }
    };
  };
}
