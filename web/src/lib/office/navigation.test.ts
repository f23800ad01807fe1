import { routes } from '@qingling/shared/api/routes.ts';
import { type Role, roles } from '@qingling/shared/auth/principal.ts';
import { describe, expect, it } from 'vitest';
import { navigationFor, officeNavigation } from './navigation.ts';

/** The roles a route allows, from the route table (the authorization matrix's source). */
function allowed(operationId: string): readonly Role[] {
  const route = routes.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  if (route.access.kind === 'public' || route.access.roles === 'any') return roles;
  return route.access.roles;
}

describe('the office navigation', () => {
  it.each(officeNavigation.map((entry) => [entry.href, entry] as const))(
    '%s shows exactly the roles every route behind it allows',
    (_href, entry) => {
      const everyRouteAllows = roles.filter((role) =>
        entry.routes.every((operationId) => allowed(operationId).includes(role)),
      );
      expect([...entry.roles].sort()).toEqual([...everyRouteAllows].sort());
    },
  );

  it('gives every role at least its desk, and each role only its pages', () => {
    const hrefs = (role: Role) => navigationFor([role]).map((entry) => entry.href);
    for (const role of roles) expect(hrefs(role)).toContain('/office');
    expect(hrefs('officer')).toEqual([
      '/office',
      '/office/hazards',
      '/office/enterprises',
      '/office/import',
      '/office/tips',
      '/office/statistics',
    ]);
    expect(hrefs('department_head')).not.toContain('/office/import');
    expect(hrefs('reward_officer')).toEqual(['/office', '/office/rewards']);
    expect(hrefs('administrator')).toEqual([
      '/office',
      '/office/admin/policies',
      '/office/admin/calendar',
      '/office/admin/rewards',
      '/office/admin/contacts',
      '/office/admin/jurisdiction',
      '/office/admin/users',
    ]);
    // Several roles: what any of them may use.
    expect(navigationFor(['reward_officer', 'leader_in_charge']).map((e) => e.href)).toContain(
      '/office/tips',
    );
  });
});
