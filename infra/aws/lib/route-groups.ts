import type { RouteDefinition } from '@qingling/shared/api/routes.ts';

/**
 * The nested stack each API handler is built in (its function, role, policy, alias,
 * version, integration, invoke permission and routes: about 8 resources a handler).
 * CloudFormation refuses a template of more than 500 resources; the whole stack was at
 * 471 with every handler in it. A group is chosen by what the handler serves, not by
 * position, so a new route never moves another handler to another nested stack (which
 * would replace its function). tests/infra/resource-budget.test.ts fails, naming the
 * template and its count, when a group outgrows its budget: split it then.
 */
export const routeGroups = ['PublicRoutes', 'TipRoutes', 'HazardRoutes', 'AdminRoutes'] as const;

export type RouteGroup = (typeof routeGroups)[number];

/** The group of a handler, from the routes it serves. */
export function routeGroupOf(served: readonly RouteDefinition[]): RouteGroup {
  // Anonymous callers' functions stand apart from the office's.
  if (served.some((route) => route.access.kind === 'public')) return 'PublicRoutes';
  const paths = served.map((route) => route.path);
  if (paths.some((path) => /^\/api\/office\/(tips|reward)/.test(path))) return 'TipRoutes';
  if (paths.some((path) => /^\/api\/office\/(hazard|desk|statistics)/.test(path))) {
    return 'HazardRoutes';
  }
  return 'AdminRoutes';
}
