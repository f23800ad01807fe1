import type * as z from 'zod/mini';
import type { Role } from '../auth/principal.ts';
import { chainHeadRoutes } from '../chain-heads/routes.ts';
import { enterpriseRoutes } from '../enterprises/routes.ts';
import { hazardRoutes } from '../hazards/routes.ts';
import type { Bilingual } from '../i18n/text.ts';
import { policyRoutes } from '../policies/routes.ts';
import { tipRoutes } from '../tips/routes.ts';
import { coreRoutes } from './core-routes.ts';

/**
 * Resources beyond the table. evidenceUpload: sign upload forms for incoming/ photos;
 * evidenceRead: read stored photos; receiptKey: the secret behind receipts and tip ids;
 * contactKey: encrypt (and, for reward officers, decrypt) a tipster's contact; lifecycle:
 * wake or start a record's lifecycle execution (Step Functions).
 */
export type Resource =
  | 'evidenceUpload'
  | 'evidenceRead'
  | 'receiptKey'
  | 'contactKey'
  | 'lifecycle';

export interface TableAccess {
  read: readonly string[];
  write?: readonly string[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, or a signed-in person holding one of the roles. */
export type Access = { kind: 'public' } | { kind: 'signedIn'; roles: readonly Role[] | 'any' };

/**
 * One API operation. This table is the single source for the Lambda wiring in CDK, the
 * embedded cloud's router, the OpenAPI document and the authorization test matrix.
 */
export interface RouteDefinition {
  operationId: string;
  method: HttpMethod;
  path: `/api/${string}`;
  /** File name (without .ts) under functions/src/handlers/. */
  handler: string;
  access: Access;
  summary: Bilingual;
  /** Path parameters ({name} in the path), validated, with an example for the docs. */
  pathParameters?: { schema: z.ZodMiniObject; example: Record<string, string> };
  /** Query string parameters, validated, with an example for the docs. */
  query?: { schema: z.ZodMiniObject; example: Record<string, string> };
  request?: { body: z.ZodMiniType; example: unknown };
  /** What the handler touches besides the table: CDK grants exactly these. */
  uses?: readonly Resource[];
  /**
   * The partition keys the handler may touch (IAM StringLike patterns of
   * `dynamodb:LeadingKeys`), read and written; no index. Every public route declares it, so
   * that an anonymous caller's function can reach nothing of the office: CDK grants only
   * these. Routes without it get the table and its indexes (reads only when all are GET).
   */
  table?: TableAccess;
  response: { status: number; body: z.ZodMiniType; example: unknown };
}

/**
 * Every route. A Lambda handler never imports this (it would bundle every schema of the
 * API): it takes its own domain's table through functions/src/http/<domain>-api.ts.
 */
export const routes = [
  ...coreRoutes,
  ...tipRoutes,
  ...hazardRoutes,
  ...enterpriseRoutes,
  ...policyRoutes,
  ...chainHeadRoutes,
] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof routes)[number]['operationId'];
