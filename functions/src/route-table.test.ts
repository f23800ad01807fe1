import { routes } from '@qingling/shared/api/routes.ts';
import { describe, expect, it } from 'vitest';

describe('the route table', () => {
  it.each(routes.map((route) => [route.handler]))(
    'handler %s exists and exports handler',
    async (name) => {
      const module = (await import(`./handlers/${name}.ts`)) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    },
  );

  it('has unique operation ids and unique method + path pairs', () => {
    const ids = routes.map((route) => route.operationId);
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
