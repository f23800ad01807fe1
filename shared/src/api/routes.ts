import { chainHeadRoutes } from '../chain-heads/routes.ts';
import { enterpriseRoutes } from '../enterprises/routes.ts';
import { enterpriseAccessRoutes } from '../hazards/enterprise-access-routes.ts';
import { hazardEvidenceRoutes } from '../hazards/evidence-routes.ts';
import { exposureRoutes } from '../hazards/exposure-routes.ts';
import { ledgerExportRoutes } from '../hazards/ledger-export-routes.ts';
import { hazardLogRoutes } from '../hazards/log-routes.ts';
import { hazardRoutes } from '../hazards/routes.ts';
import { statisticsRoutes } from '../hazards/statistics-routes.ts';
import { policyRoutes } from '../policies/routes.ts';
import { publicTipRoutes } from '../tips/public-routes.ts';
import { rewardRoutes } from '../tips/reward-routes.ts';
import { officeTipRoutes } from '../tips/routes.ts';
import { userRoutes } from '../users/routes.ts';
import { coreRoutes } from './core-routes.ts';
import type { RouteDefinition } from './route-definition.ts';

export type {
  Access,
  HttpMethod,
  IndexName,
  RecordKind,
  Resource,
  RouteDefinition,
  Scope,
  TableAccess,
} from './route-definition.ts';

/**
 * Every route. A Lambda handler never imports this (it would bundle every schema of the
 * API): it takes its own domain's table through functions/src/http/<domain>-api.ts.
 */
export const routes = [
  ...coreRoutes,
  ...publicTipRoutes,
  ...officeTipRoutes,
  ...rewardRoutes,
  ...hazardRoutes,
  ...ledgerExportRoutes,
  ...hazardLogRoutes,
  ...hazardEvidenceRoutes,
  ...enterpriseAccessRoutes,
  ...exposureRoutes,
  ...statisticsRoutes,
  ...enterpriseRoutes,
  ...policyRoutes,
  ...userRoutes,
  ...chainHeadRoutes,
] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof routes)[number]['operationId'];
