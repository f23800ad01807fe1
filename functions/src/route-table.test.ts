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

  it('names the partitions of the record every public route may touch, none of the office', () => {
    const publicRoutes = (
      routes as readonly {
        operationId: string;
        access: { kind: string };
        table?: { read: readonly string[]; write?: readonly string[] };
      }[]
    ).filter((route) => route.access.kind === 'public');
    expect(publicRoutes.filter((route) => !route.table).map((route) => route.operationId)).toEqual(
      [],
    );
    const touched = publicRoutes.flatMap((route) => [
      ...(route.table?.read ?? []),
      ...(route.table?.write ?? []),
    ]);
    // The office's lists and the register live under these: never for an anonymous caller.
    for (const office of ['TIPS#', 'HAZARDS#', 'ENTERPRISE', 'POLICY#CONTACTS', '*']) {
      expect(touched.filter((pattern) => pattern === office || pattern.startsWith(office))).toEqual(
        [],
      );
    }
  });
});
