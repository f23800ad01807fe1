import * as z from 'zod';
import type { RouteDefinition } from '../api/routes.ts';
import { code } from '../api/validation.ts';
import { hazardSummarySchema } from '../hazards/schemas.ts';
import { enterpriseSchema, usccSchema } from './enterprise.ts';

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

export const enterpriseRecordSchema = enterpriseSchema
  .extend({ registeredAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'EnterpriseRecord' });

export const enterpriseListSchema = z
  .object({
    enterprises: z.array(
      z.object({ uscc: z.string(), name: z.string(), address: z.string(), industry: z.string() }),
    ),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'EnterpriseList' });

export const enterpriseFileSchema = z
  .object({
    enterprise: enterpriseRecordSchema,
    hazards: z.array(hazardSummarySchema),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'EnterpriseFile' });

export const usccParameters = z.object({ uscc: usccSchema });

/**
 * The enterprise register (一企一档): register an enterprise under its credit code, list
 * a jurisdiction's register, and one page per enterprise with all its hazards.
 */
export const enterpriseRoutes = [
  {
    operationId: 'registerEnterprise',
    method: 'POST',
    path: '/api/office/enterprises',
    handler: 'register-enterprise',
    access: { kind: 'signedIn', roles: ['officer'] },
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
    access: { kind: 'signedIn', roles: officeRoles },
    summary: { zh: '辖区企业名录', en: "A jurisdiction's enterprise register" },
    query: {
      schema: z.object({
        jurisdiction: code('cq-gecheng'),
        cursor: z.string().max(512).optional(),
      }),
      example: { jurisdiction: 'cq-gecheng' },
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
    access: { kind: 'signedIn', roles: officeRoles },
    summary: { zh: '一企一档：企业及其全部隐患', en: 'An enterprise and all its hazards' },
    pathParameters: { schema: usccParameters, example: { uscc: exampleEnterprise.uscc } },
    query: {
      schema: z.object({ cursor: z.string().max(512).optional() }),
      example: {},
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
] as const satisfies readonly RouteDefinition[];
