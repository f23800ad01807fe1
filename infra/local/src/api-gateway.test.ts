import { routes } from '@qingling/shared/api/routes.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalApiGateway } from './api-gateway.ts';

function gatewayCapturing(claims: Record<string, unknown> | null = null) {
  const events: APIGatewayProxyEventV2[] = [];
  const gateway = new LocalApiGateway({
    routes,
    verifyToken: async (token) => (token === 'good' ? (claims ?? { sub: 'u' }) : null),
    loadHandler: async () => async (event) => {
      events.push(event);
      return { statusCode: 200, body: '{}' };
    },
  });
  return { gateway, events };
}

const request = (method: string, path: string, headers: Record<string, string> = {}) => ({
  method,
  url: new URL(`http://127.0.0.1:8787${path}`),
  headers,
  body: Buffer.alloc(0),
});

describe('LocalApiGateway', () => {
  it('gives handlers no user agent and no client address (anonymity)', async () => {
    const { gateway, events } = gatewayCapturing();
    await gateway.handle(
      request('GET', '/api/health', {
        'user-agent': 'Secret-Browser/1.0',
        'x-forwarded-for': '198.51.100.7',
        'x-real-ip': '198.51.100.8',
        forwarded: 'for=198.51.100.9',
      }),
    );
    const text = JSON.stringify(events[0]);
    expect(events).toHaveLength(1);
    for (const secret of ['Secret-Browser', '198.51.100.7', '198.51.100.8', '198.51.100.9']) {
      expect(text).not.toContain(secret);
    }
  });

  it('matches path parameters and builds the route key like API Gateway', async () => {
    const { gateway, events } = gatewayCapturing();
    await gateway.handle(
      request('PUT', '/api/jurisdictions/cq-gecheng', { authorization: 'Bearer good' }),
    );
    expect(events[0]?.routeKey).toBe('PUT /api/jurisdictions/{code}');
    expect(events[0]?.pathParameters).toEqual({ code: 'cq-gecheng' });
  });

  it('answers 400 in the error shape to malformed percent-encoding, calling no handler', async () => {
    const { gateway, events } = gatewayCapturing();
    for (const bad of ['%E0%A4%A', '%', 'a%zz']) {
      const result = await gateway.handle(request('GET', `/api/office/tips/${bad}`));
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body ?? '')).toMatchObject({
        error: {
          code: 'malformed_path',
          message: { zh: expect.any(String), en: expect.any(String) },
        },
      });
    }
    expect(events).toHaveLength(0);
  });

  it('answers 401 itself, without calling the handler, when the token does not verify', async () => {
    const { gateway, events } = gatewayCapturing();
    const result = await gateway.handle(request('GET', '/api/me', { authorization: 'Bearer bad' }));
    expect(result.statusCode).toBe(401);
    expect(events).toHaveLength(0);
  });

  it('passes verified claims as strings, as API Gateway does', async () => {
    const { gateway, events } = gatewayCapturing({ sub: 'u', list: ['a', 'b'], exp: 5 });
    await gateway.handle(request('GET', '/api/me', { authorization: 'Bearer good' }));
    const context = events[0]?.requestContext as unknown as {
      authorizer: { jwt: { claims: Record<string, string> } };
    };
    expect(context.authorizer.jwt.claims).toEqual({ sub: 'u', list: '[a b]', exp: '5' });
  });

  it('passes query keys that name Object.prototype members as the plain strings they are', async () => {
    const { gateway, events } = gatewayCapturing();
    await gateway.handle(
      request('GET', '/api/health?constructor=x&__proto__=y&toString=z&a=1&a=2'),
    );
    const query = events[0]?.queryStringParameters ?? {};
    expect(Object.entries(query)).toEqual([
      ['constructor', 'x'],
      ['__proto__', 'y'],
      ['toString', 'z'],
      ['a', '1,2'],
    ]);
  });

  it('answers 404 for an unknown route or method', async () => {
    const { gateway } = gatewayCapturing();
    expect((await gateway.handle(request('GET', '/api/nothing'))).statusCode).toBe(404);
    expect((await gateway.handle(request('DELETE', '/api/health'))).statusCode).toBe(404);
  });
});
