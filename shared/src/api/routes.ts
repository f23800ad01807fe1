import type * as z from 'zod';
import type { Role } from '../auth/principal.ts';
import { chainHeadRoutes } from '../chain-heads/routes.ts';
import { enterpriseRoutes } from '../enterprises/routes.ts';
import { hazardRoutes } from '../hazards/routes.ts';
import type { Bilingual } from '../i18n/text.ts';
import { policyRoutes } from '../policies/routes.ts';
import { tipRoutes } from '../tips/routes.ts';
import {
  healthSchema,
  jurisdictionCodeParameters,
  jurisdictionListSchema,
  jurisdictionRecordSchema,
  meSchema,
  openApiDocumentSchema,
  updateJurisdictionSchema,
} from './schemas.ts';

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
  pathParameters?: { schema: z.ZodObject; example: Record<string, string> };
  /** Query string parameters, validated, with an example for the docs. */
  query?: { schema: z.ZodObject; example: Record<string, string> };
  request?: { body: z.ZodType; example: unknown };
  /** What the handler touches besides the table: CDK grants exactly these. */
  uses?: readonly Resource[];
  /**
   * The partition keys the handler may touch (IAM StringLike patterns of
   * `dynamodb:LeadingKeys`), read and written; no index. Every public route declares it, so
   * that an anonymous caller's function can reach nothing of the office: CDK grants only
   * these. Routes without it get the table and its indexes (reads only when all are GET).
   */
  table?: TableAccess;
  response: { status: number; body: z.ZodType; example: unknown };
}

export const routes = [
  {
    operationId: 'getHealth',
    method: 'GET',
    path: '/api/health',
    handler: 'health',
    access: { kind: 'public' },
    table: { read: ['META', 'JURISDICTION', 'POLICY'] },
    summary: { zh: '健康检查：服务与数据版本', en: 'Health check with code and data versions' },
    response: {
      status: 200,
      body: healthSchema,
      example: {
        ok: true,
        now: '2026-12-08T02:00:00.000Z',
        version: { code: '0.1.0+abc1234', data: 'seed-2026-11-1' },
        warnings: [
          {
            code: 'calendar_missing',
            year: 2027,
            message: {
              zh: '尚未录入 2027 年的节假日安排…',
              en: 'There is no holiday calendar for 2027 yet…',
            },
          },
        ],
      },
    },
  },
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/api/openapi.json',
    handler: 'openapi',
    access: { kind: 'public' },
    table: { read: [] },
    summary: { zh: '本接口的 OpenAPI 3.1 描述', en: 'The OpenAPI 3.1 description of this API' },
    response: {
      status: 200,
      body: openApiDocumentSchema,
      example: { openapi: '3.1.0' },
    },
  },
  {
    operationId: 'listJurisdictions',
    method: 'GET',
    path: '/api/jurisdictions',
    handler: 'list-jurisdictions',
    access: { kind: 'public' },
    table: { read: ['JURISDICTION'] },
    summary: { zh: '辖区列表', en: 'List of jurisdictions' },
    response: {
      status: 200,
      body: jurisdictionListSchema,
      example: {
        jurisdictions: [
          {
            code: 'cq-gecheng',
            zh: '葛城街道',
            en: 'Gecheng Subdistrict, Chongqing',
            level: 'subdistrict',
            parent: '重庆市',
            units: ['东门社区'],
            version: 1,
          },
        ],
      },
    },
  },
  {
    operationId: 'updateJurisdiction',
    method: 'PUT',
    path: '/api/jurisdictions/{code}',
    handler: 'update-jurisdiction',
    access: { kind: 'signedIn', roles: ['administrator'] },
    summary: { zh: '修改辖区名称与下辖单位', en: "Edit a jurisdiction's names and units" },
    pathParameters: { schema: jurisdictionCodeParameters, example: { code: 'cq-gecheng' } },
    request: {
      body: updateJurisdictionSchema,
      example: {
        zh: '葛城街道',
        en: 'Gecheng Subdistrict, Chongqing',
        units: ['东门社区', '西门社区', '南门社区', '北门社区'],
        expectedVersion: 1,
      },
    },
    response: {
      status: 200,
      body: jurisdictionRecordSchema,
      example: {
        code: 'cq-gecheng',
        zh: '葛城街道',
        en: 'Gecheng Subdistrict, Chongqing',
        level: 'subdistrict',
        parent: '重庆市',
        units: ['东门社区', '西门社区', '南门社区', '北门社区'],
        version: 2,
      },
    },
  },
  {
    operationId: 'getMe',
    method: 'GET',
    path: '/api/me',
    handler: 'me',
    access: { kind: 'signedIn', roles: 'any' },
    summary: { zh: '当前登录用户', en: 'The signed-in user' },
    response: {
      status: 200,
      body: meSchema,
      example: {
        principal: {
          userId: 'demo-cq-gecheng-officer',
          name: '李明',
          roles: ['officer'],
          jurisdictions: ['cq-gecheng'],
        },
      },
    },
  },
  ...tipRoutes,
  ...hazardRoutes,
  ...enterpriseRoutes,
  ...policyRoutes,
  ...chainHeadRoutes,
] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof routes)[number]['operationId'];
