import { type RouteDefinition, routes } from '@qingling/shared/api/routes.ts';
import type { Role } from '@qingling/shared/auth/principal.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, demoPrincipal } from '../../../tests/support/api-events.ts';
import { resetDependencies, useDependencies } from '../dependencies.ts';

/**
 * The jurisdiction scope each signed-in route declares, enforced by the HTTP wrapper: the
 * real handler of every scoped route, called as API Gateway calls it, by a caller of the
 * own jurisdiction who holds a role the route admits, naming the other jurisdiction (or a
 * record of it). Nothing of the store is reachable: a request the wrapper lets through
 * reaches a handler whose every port throws (500), so only the wrapper's refusal answers
 * 403 or 404.
 */
const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';

type Scoped = RouteDefinition & {
  access: Extract<RouteDefinition['access'], { kind: 'signedIn' }>;
};
const signedIn = (routes as readonly RouteDefinition[]).filter(
  (route): route is Scoped => route.access.kind === 'signedIn',
);

class HandlerReached extends Error {}
const reached = () => {
  throw new HandlerReached('the handler ran: the wrapper let the request through');
};
const loads: string[] = [];

beforeEach(() => {
  loads.length = 0;
  useDependencies({
    // Every record the wrapper loads by id is the other jurisdiction's.
    eventStore: () =>
      ({
        load: async (stream: string) => {
          loads.push(stream);
          const id = stream.slice(stream.indexOf('#') + 1);
          return {
            stream,
            state: { tipId: id, hazardId: id, jurisdiction: other },
            version: 1,
            head: 'a'.repeat(64),
            idempotencyKeys: [],
          };
        },
        read: reached,
        append: reached,
      }) as never,
    referenceData: reached,
    tipInbox: reached,
    hazardLedger: reached,
    enterpriseRegister: reached,
    policyStore: reached,
    policies: reached,
    jurisdictions: reached,
    hazardWorkflow: reached,
    tipWorkflow: reached,
    blobStore: reached,
    receiptKeys: reached,
    contactVault: reached,
    liveHazardIds: reached,
  });
});
afterEach(() => resetDependencies());

/** The route's examples, with its scope's field naming `code`. */
function requestNaming(route: Scoped, code: string, jurisdictions: readonly string[]) {
  const scope = route.access.scope;
  const path = { ...route.pathParameters?.example };
  const query = { ...route.query?.example };
  let body = route.request?.example;
  if (scope.in === 'path') path[scope.field] = code;
  if (scope.in === 'query') query[scope.field] = code;
  if (scope.in === 'body') body = { ...(body as Record<string, unknown>), [scope.field]: code };
  const allowed = route.access.roles;
  const role: Role = allowed === 'any' ? 'officer' : (allowed[0] ?? 'officer');
  const event = apiEvent({
    method: route.method,
    path: route.path,
    pathParameters: path,
    ...(body === undefined ? {} : { body }),
    principal: demoPrincipal({ roles: [role], jurisdictions: [...jurisdictions] }),
  });
  return { ...event, queryStringParameters: query } as APIGatewayProxyEventV2;
}

async function call(route: Scoped, event: APIGatewayProxyEventV2) {
  const module = (await import(`../handlers/${route.handler}.ts`)) as {
    handler: (event: APIGatewayProxyEventV2) => Promise<{ statusCode: number; body?: string }>;
  };
  const result = await module.handler(event);
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') };
}

const byCode = (kind: 'path' | 'query' | 'body') =>
  signedIn
    .filter((route) => route.access.scope.in === kind)
    .map((route) => [route.operationId, route] as const);
const byRecord = signedIn
  .filter((route) => route.access.scope.in === 'record')
  .map((route) => [route.operationId, route] as const);

describe('a route scoped by a jurisdiction code', () => {
  it('is declared for every kind: path, query and body', () => {
    expect(byCode('path').length).toBeGreaterThan(0);
    expect(byCode('query').length).toBeGreaterThan(0);
    expect(byCode('body').length).toBeGreaterThan(0);
  });

  it.each([...byCode('path'), ...byCode('query'), ...byCode('body')])(
    '%s refuses (403) a caller whose jurisdictions do not hold the code named',
    async (_id, route) => {
      const refused = await call(route, requestNaming(route, other, [own]));
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      // The same request from a caller of that jurisdiction gets past the wrapper.
      const admitted = await call(route, requestNaming(route, other, [own, other]));
      expect(admitted.status, JSON.stringify(admitted.body)).toBe(500);
    },
  );
});

describe('a route scoped to a record it names', () => {
  it('is declared for tips and for hazards', () => {
    const kinds = new Set(
      byRecord.map(([, route]) => route.access.scope.in === 'record' && route.access.scope.record),
    );
    expect([...kinds].sort()).toEqual(['hazard', 'tip']);
  });

  it.each(byRecord)(
    "%s answers a record of another jurisdiction as unknown (404), after loading it by the path's id",
    async (_id, route) => {
      const scope = route.access.scope;
      if (scope.in !== 'record') throw new Error('not record-scoped');
      const id = route.pathParameters?.example[scope.id];
      const refused = await call(route, requestNaming(route, other, [own]));
      expect(refused.status, JSON.stringify(refused.body)).toBe(404);
      expect(refused.body.error.code).toBe('not_found');
      expect(loads).toEqual([`${scope.record.toUpperCase()}#${id}`]);
      // The same request from a caller of the record's jurisdiction gets past the wrapper.
      const admitted = await call(route, requestNaming(route, other, [other]));
      expect([401, 403, 404], JSON.stringify(admitted.body)).not.toContain(admitted.status);
    },
  );
});

/** The inputs by which a request names a jurisdiction, or a record by id, with where. */
function namingInputs(route: RouteDefinition) {
  const body = route.request?.example;
  const inputs: { in: 'path' | 'query' | 'body'; name: string }[] = [
    ...Object.keys(route.pathParameters?.example ?? {}).map((name) => ({
      in: 'path' as const,
      name,
    })),
    ...Object.keys(route.query?.example ?? {}).map((name) => ({ in: 'query' as const, name })),
    ...Object.keys(body && typeof body === 'object' ? body : {}).map((name) => ({
      in: 'body' as const,
      name,
    })),
  ];
  return inputs.filter(
    (input) =>
      jurisdictionInputs.has(input.name) || (input.in === 'path' && recordIds.has(input.name)),
  );
}
const jurisdictionInputs = new Set(['jurisdiction', 'code']);
const recordIds = new Set(['tipId', 'hazardId']);

describe('the scope of every signed-in route', () => {
  it.each(signedIn.map((route) => [route.operationId, route] as const))(
    '%s is declared on the input that names its jurisdiction or its record, or says why it has none',
    (_id, route) => {
      const scope = route.access.scope;
      expect(scope, 'a signed-in route declares its scope').toBeDefined();
      const naming = namingInputs(route);
      if (scope.in === 'none') {
        expect(naming, `${route.operationId} names a jurisdiction or a record`).toEqual([]);
        expect(scope.reason.zh.length).toBeGreaterThan(4);
        expect(scope.reason.en.length).toBeGreaterThan(10);
      } else {
        const declared =
          scope.in === 'record'
            ? { in: 'path', name: scope.id }
            : { in: scope.in, name: scope.field };
        expect(naming).toEqual([declared]);
      }
    },
  );
});
