import type { RouteDefinition } from './route-definition.ts';
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
 * The routes of the API itself and of the reference data: health, this API's description,
 * jurisdictions and the signed-in user. Each domain keeps its routes beside its schemas
 * (tips/routes.ts, hazards/routes.ts…), so that a handler bundles its own domain's schemas
 * only; shared/src/api/routes.ts puts them all together.
 */
export const coreRoutes = [
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
    // Its own item under JURISDICTION, read and updated conditionally.
    table: { read: [], write: ['JURISDICTION'] },
    access: {
      kind: 'signedIn',
      roles: ['administrator'],
      scope: { in: 'path', field: 'code' },
    },
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
    // The token's claims only: no item of the record.
    table: { read: [] },
    access: {
      kind: 'signedIn',
      roles: 'any',
      scope: {
        in: 'none',
        reason: {
          zh: '只返回令牌所代表的本人',
          en: 'who the token stands for: the caller’s own claims',
        },
      },
    },
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
] as const satisfies readonly RouteDefinition[];
