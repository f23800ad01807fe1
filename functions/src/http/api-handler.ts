import { apiError, type ErrorCode } from '@qingling/shared/api/errors.ts';
import type { RecordKind, RouteDefinition } from '@qingling/shared/api/route-definition.ts';
import { validate } from '@qingling/shared/api/validation.ts';
import { type Principal, principalFromClaims } from '@qingling/shared/auth/principal.ts';
import type { Snapshot } from '@qingling/shared/event-log/event-store.ts';
import { IdempotencyKeyReused } from '@qingling/shared/event-log/idempotency.ts';
import { RecordFull } from '@qingling/shared/event-log/record-size.ts';
import type { HazardState } from '@qingling/shared/hazards/hazard.ts';
import { InvalidCursor } from '@qingling/shared/ports/page-cursor.ts';
import type { TipState } from '@qingling/shared/tips/tip.ts';
import type * as z from 'zod/mini';
import { logger } from '../observability/logger.ts';
import { type ApiEvent, type ApiResult, json } from './json.ts';
import { notThroughSite, originGate } from './origin-gate.ts';

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

/** A domain's route table (coreRoutes, officeTipRoutes, hazardRoutes…). */
type RouteTable = readonly RouteDefinition[];
type RouteOf<Table extends RouteTable, Id> = Extract<Table[number], { operationId: Id }>;
type BodyOf<R> = R extends { request: { body: infer S extends z.ZodMiniType } }
  ? z.output<S>
  : undefined;
type QueryOf<R> = R extends { query: { schema: infer S extends z.ZodMiniType } }
  ? z.output<S>
  : Record<string, string | undefined>;
type ReplyOf<R> = R extends { response: { body: infer S extends z.ZodMiniType } }
  ? z.input<S>
  : never;
/** A signed-in route's handler runs only for a signed-in caller. */
type PrincipalOf<R> = R extends { access: { kind: 'signedIn' } } ? Principal : Principal | null;

/** The state of each kind of record a route may be scoped to (see Scope in the route table). */
interface RecordStates {
  tip: TipState;
  hazard: HazardState;
}
type ScopedRecordKind<R> = R extends {
  access: { scope: { in: 'record'; record: infer K extends RecordKind } };
}
  ? K
  : never;
/** The record a route is scoped to, as the wrapper loaded it; none for other routes. */
type RecordOf<R> = [ScopedRecordKind<R>] extends [never]
  ? undefined
  : Snapshot<RecordStates[ScopedRecordKind<R>]>;
/** How a domain's wrapper loads each kind of record its routes are scoped to, by id. */
type RecordLoaders<Table extends RouteTable> = {
  readonly [K in ScopedRecordKind<Table[number]>]: (
    id: string,
  ) => Promise<Snapshot<RecordStates[K]> | null>;
};

/** The same, as the wrapper holds them: any kind, any record with a jurisdiction. */
type AnyRecordLoaders = Partial<
  Record<RecordKind, (id: string) => Promise<Snapshot<{ jurisdiction: string }> | null>>
>;

export interface ApiRequest<R = RouteDefinition> {
  body: BodyOf<R>;
  principal: PrincipalOf<R>;
  headers: Record<string, string | undefined>;
  /** Validated against the route's query schema, when it has one. */
  query: QueryOf<R>;
  pathParameters: Record<string, string | undefined>;
  /** The record the route is scoped to, already held to the caller's jurisdictions. */
  record: RecordOf<R>;
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
  // JSON only: a form or text/plain is what another site's page can make a visitor's
  // browser send without asking first (no CORS preflight), e.g. tips from many addresses.
  const type = event.headers?.['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiFailure('json_required');
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

function parseQuery(route: RouteDefinition, query: Record<string, string | undefined>): unknown {
  if (!route.query) return query;
  const result = validate(route.query.schema, query);
  if (!result.success) throw new ApiFailure('invalid_request', result.issues);
  return result.data;
}

/**
 * Holds the request to the jurisdiction its route's scope names: everyone acts only within
 * their own jurisdictions, and the check is the server's. A code in the path, the query
 * or the body outside the caller's jurisdictions is refused (403); a record outside them is
 * answered as unknown (404: no existence leak), else handed to the handler.
 */
async function withinScope(
  route: RouteDefinition,
  principal: Principal | null,
  request: { path: Record<string, unknown>; query: unknown; body: unknown },
  loaders: AnyRecordLoaders,
): Promise<Snapshot<unknown> | undefined> {
  if (route.access.kind !== 'signedIn') return undefined;
  const scope = route.access.scope;
  const mine: readonly string[] = principal?.jurisdictions ?? [];
  if (scope.in === 'none') return undefined;
  if (scope.in === 'record') {
    const load = loaders[scope.record];
    if (!load) throw new Error(`No loader of ${scope.record} records for ${route.operationId}`);
    const id = request.path[scope.id];
    const snapshot = typeof id === 'string' ? await load(id) : null;
    if (!snapshot || !mine.includes(snapshot.state.jurisdiction)) {
      throw new ApiFailure('not_found');
    }
    return snapshot;
  }
  const source = scope.in === 'path' ? request.path : request[scope.in];
  const code =
    source && typeof source === 'object' ? (source as Record<string, unknown>)[scope.field] : null;
  if (typeof code !== 'string' || !mine.includes(code)) throw new ApiFailure('forbidden');
  return undefined;
}

/**
 * A file instead of JSON (an export): its contents, its type and its name. Bytes (an .xlsx)
 * go base64-encoded with `isBase64Encoded`, which API Gateway's HTTP API decodes before
 * answering (as the embedded cloud does); text goes as it is. The name is ASCII in
 * `filename` and UTF-8 in `filename*` (RFC 6266), so a Chinese name survives.
 */
export class FileReply {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly fileName: string;

  constructor(body: string | Uint8Array, contentType: string, fileName: string) {
    this.body = body;
    this.contentType = contentType;
    this.fileName = fileName;
  }

  result(): ApiResult {
    const binary = typeof this.body !== 'string';
    const ascii = this.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
    return {
      statusCode: 200,
      headers: {
        'content-type': this.contentType,
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(this.fileName)}`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: binary
        ? Buffer.from(this.body as Uint8Array).toString('base64')
        : (this.body as string),
      ...(binary ? { isBase64Encoded: true } : {}),
    };
  }
}

/**
 * Wraps a route's implementation in what every API handler needs: the caller's principal
 * from the JWT authorizer's claims, a role check, validation of the path, the body and the
 * query against the route's schemas, the jurisdiction scope the route declares (the record
 * it is scoped to loaded and handed over), and errors as bilingual 4xx/5xx bodies. Handlers
 * stay a few lines long.
 *
 * `apiHandlerFor(table, loaders)` gives the wrapper for one domain's route table, with how
 * to load each kind of record its routes are scoped to; each handler takes it from its
 * domain's module (tip-api.ts, hazard-api.ts…), so that its bundle holds that domain's
 * schemas and no other's.
 */
export function apiHandlerFor<const Table extends RouteTable>(
  table: Table,
  ...[loaders]: [ScopedRecordKind<Table[number]>] extends [never] ? [] : [RecordLoaders<Table>]
) {
  return function apiHandler<Id extends Table[number]['operationId']>(
    operationId: Id,
    implementation: (
      request: ApiRequest<RouteOf<Table, Id>>,
    ) => Promise<ReplyOf<RouteOf<Table, Id>> | { status: number; body: unknown } | FileReply>,
  ): (event: ApiEvent) => Promise<ApiResult> {
    const route = routeIn(table, operationId);
    const loadersOf: AnyRecordLoaders = loaders ?? {};
    if (route.access.kind === 'signedIn' && route.access.scope.in === 'record') {
      if (!loadersOf[route.access.scope.record]) {
        throw new Error(
          `${operationId} is scoped to a ${route.access.scope.record} record: no loader`,
        );
      }
    }
    return async (event) => {
      try {
        // First of all: a request that went around CloudFront (and its web ACL) gets no work.
        const gate = originGate();
        if (gate && !(await gate.admits(event))) return notThroughSite();
        const claims = claimsOf(event);
        const principal = claims ? principalFromClaims(claims) : null;
        if (route.access.kind === 'signedIn') {
          if (!principal) return failure('unauthenticated');
          const allowed = route.access.roles;
          if (allowed !== 'any' && !principal.roles.some((role) => allowed.includes(role))) {
            return failure('forbidden');
          }
        }
        const pathParameters = event.pathParameters ?? {};
        if (route.pathParameters) {
          const parsed = route.pathParameters.schema.safeParse(pathParameters);
          if (!parsed.success) throw new ApiFailure('not_found');
        }
        const body = parseBody(route, event);
        const query = parseQuery(route, event.queryStringParameters ?? {});
        const record = await withinScope(
          route,
          principal,
          { path: pathParameters, query, body },
          loadersOf,
        );
        const request = {
          body,
          principal,
          headers: gate?.withoutSecret(event.headers ?? {}) ?? event.headers ?? {},
          query,
          pathParameters,
          record,
        } as ApiRequest<RouteOf<Table, Id>>;
        const reply = await implementation(request);
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
        if (error instanceof RecordFull) {
          logger.warn('Record full', { operationId, stream: error.stream, bytes: error.bytes });
          return failure('record_full');
        }
        logger.error('Unhandled error', { operationId, error: error as Error });
        return failure('internal');
      }
    };
  };
}
