import * as z from 'zod/mini';
import type { RouteDefinition } from '../api/route-definition.ts';
import { code, idempotencyKey, withMeta } from '../api/validation.ts';
import { hazardSummarySchema } from '../hazards/schemas.ts';
import { enterpriseChangesSchema, enterpriseSchema, usccSchema } from './enterprise.ts';
import { searchQuerySchema } from './register-search.ts';

const officeRoles = ['officer', 'department_head', 'leader_in_charge', 'principal_leader'] as const;
const exampleEnterprise = {
  uscc: '91350100M000100Y43',
  name: '某某商贸有限公司',
  address: '东门路 18 号',
  industry: 'fire',
  jurisdiction: 'cq-gecheng',
  principal: { name: '王某', mobile: '13800138000' },
  controller: { name: '赵某', mobile: '13900139000' },
  contacts: [{ name: '孙某', role: '安全员', mobile: '13700137000' }],
};

export const enterpriseRecordSchema = withMeta(
  z.extend(enterpriseSchema, { registeredAt: z.string(), updatedAt: z.string() }),
  { id: 'EnterpriseRecord' },
);

export const enterpriseListSchema = withMeta(
  z.object({
    enterprises: z.array(
      z.object({ uscc: z.string(), name: z.string(), address: z.string(), industry: z.string() }),
    ),
    nextCursor: z.optional(z.string()),
  }),
  { id: 'EnterpriseList' },
);

export const enterpriseFileSchema = withMeta(
  z.object({
    enterprise: enterpriseRecordSchema,
    hazards: z.array(hazardSummarySchema),
    nextCursor: z.optional(z.string()),
  }),
  { id: 'EnterpriseFile' },
);

export const usccParameters = z.object({ uscc: usccSchema });

/** Whose record of the enterprise: each jurisdiction keeps its own under the same code. */
const recordQuery = { jurisdiction: code('cq-gecheng') };

export const enterpriseEditSchema = withMeta(
  z.strictObject({ idempotencyKey, changes: enterpriseChangesSchema }),
  { id: 'EnterpriseEdit' },
);

/**
 * The enterprise register (一企一档), one per jurisdiction: register an enterprise under
 * its credit code, list a jurisdiction's register, one page per record with the
 * jurisdiction's hazards of the enterprise, and edits to the record. The same code may be
 * on several jurisdictions' registers: a record is named by the code and `?jurisdiction=`.
 */
export const enterpriseRoutes = [
  {
    operationId: 'registerEnterprise',
    method: 'POST',
    path: '/api/office/enterprises',
    handler: 'register-enterprise',
    table: { read: ['JURISDICTION'], write: ['ENTERPRISE#*'] },
    access: {
      kind: 'signedIn',
      roles: ['officer'],
      scope: { in: 'body', field: 'jurisdiction' },
    },
    summary: { zh: '登记企业（一企一档）', en: 'Register an enterprise' },
    request: { body: enterpriseSchema, example: exampleEnterprise },
    response: {
      status: 201,
      body: enterpriseRecordSchema,
      example: {
        ...exampleEnterprise,
        registeredAt: '2026-11-22T08:00:00.000Z',
        updatedAt: '2026-11-22T08:00:00.000Z',
      },
    },
  },
  {
    operationId: 'listEnterprises',
    method: 'GET',
    path: '/api/office/enterprises',
    handler: 'list-enterprises',
    table: { read: [], indexes: { gsi1: ['ENTERPRISES#*'] } },
    access: {
      kind: 'signedIn',
      roles: officeRoles,
      scope: { in: 'query', field: 'jurisdiction' },
    },
    summary: { zh: '辖区企业名录', en: "A jurisdiction's enterprise register" },
    query: {
      schema: z.object({
        jurisdiction: code('cq-gecheng'),
        /** Part of a name, an address or a credit code (register-search.ts). */
        q: z.optional(searchQuerySchema),
        cursor: z.optional(z.string().check(z.maxLength(512))),
      }),
      example: { jurisdiction: 'cq-gecheng', q: '东门' },
    },
    response: {
      status: 200,
      body: enterpriseListSchema,
      example: {
        enterprises: [
          {
            uscc: exampleEnterprise.uscc,
            name: exampleEnterprise.name,
            address: exampleEnterprise.address,
            industry: 'fire',
          },
        ],
      },
    },
  },
  {
    operationId: 'getEnterprise',
    method: 'GET',
    path: '/api/office/enterprises/{uscc}',
    handler: 'get-enterprise',
    table: { read: ['ENTERPRISE#*'], indexes: { gsi2: ['ENTERPRISE#*'] } },
    access: {
      kind: 'signedIn',
      roles: officeRoles,
      scope: { in: 'query', field: 'jurisdiction' },
    },
    summary: {
      zh: '一企一档：本辖区的企业档案及其全部隐患',
      en: "A jurisdiction's record of an enterprise and all its hazards there",
    },
    pathParameters: { schema: usccParameters, example: { uscc: exampleEnterprise.uscc } },
    query: {
      schema: z.object({ ...recordQuery, cursor: z.optional(z.string().check(z.maxLength(512))) }),
      example: { jurisdiction: 'cq-gecheng' },
    },
    response: {
      status: 200,
      body: enterpriseFileSchema,
      example: {
        enterprise: {
          ...exampleEnterprise,
          registeredAt: '2026-11-22T08:00:00.000Z',
          updatedAt: '2026-11-22T08:00:00.000Z',
        },
        hazards: [],
      },
    },
  },
  {
    operationId: 'updateEnterprise',
    method: 'PATCH',
    path: '/api/office/enterprises/{uscc}',
    handler: 'update-enterprise',
    table: { read: [], write: ['ENTERPRISE#*'] },
    access: {
      kind: 'signedIn',
      roles: ['officer'],
      scope: { in: 'query', field: 'jurisdiction' },
    },
    summary: {
      zh: '修改本辖区的企业档案（其他辖区的档案不变）',
      en: "Edit a jurisdiction's record of an enterprise (other jurisdictions' stay as they are)",
    },
    pathParameters: { schema: usccParameters, example: { uscc: exampleEnterprise.uscc } },
    query: { schema: z.object(recordQuery), example: { jurisdiction: 'cq-gecheng' } },
    request: {
      body: enterpriseEditSchema,
      example: {
        idempotencyKey: '5b2d3e4f-5a6b-4c7d-8e9f-012345678912',
        changes: { principal: { name: '周某', mobile: '13600136000' } },
      },
    },
    response: {
      status: 200,
      body: enterpriseRecordSchema,
      example: {
        ...exampleEnterprise,
        principal: { name: '周某', mobile: '13600136000' },
        registeredAt: '2026-11-22T08:00:00.000Z',
        updatedAt: '2026-11-23T08:00:00.000Z',
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
