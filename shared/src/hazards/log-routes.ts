import * as z from 'zod/mini';
import type { RouteDefinition } from '../api/route-definition.ts';
import { withMeta } from '../api/validation.ts';
import { inclusionProofSchema } from '../chain-heads/schemas.ts';
import { hazardDetailSchema, hazardIdParameters } from './schemas.ts';

const officeRoles = ['officer', 'department_head', 'leader_in_charge', 'principal_leader'] as const;
const exampleHazardId = 'bcdefghijklmnopqrstuvwxyza';

export const hazardLogSchema = withMeta(
  z.object({
    hazardId: z.string(),
    exportedAt: z.string(),
    chain: hazardDetailSchema.shape.chain,
    inclusion: withMeta(z.nullable(inclusionProofSchema), {
      description:
        "The audit path of the log's head in the latest published day's root " +
        '(GET /api/public/chain-heads/{date}); null when the hazard is not in that day.',
    }),
    events: z.array(z.record(z.string(), z.unknown())),
    photos: withMeta(
      z.array(
        z.object({
          sequence: z.number().check(z.int()),
          type: z.string(),
          key: z.string(),
          sha256: z.string(),
        }),
      ),
      {
        description:
          'Every evidence photo the log names, with the SHA-256 of its stored copy as ' +
          'recorded on its event (the event is hashed into the chain) 证据照片及其哈希',
      },
    ),
  }),
  { id: 'HazardLog' },
);

/**
 * A hazard's log with its hashes and its proof of inclusion in a published day: a file of
 * its own so that the other hazard functions bundle none of the chain heads' schemas.
 */
export const hazardLogRoutes = [
  {
    operationId: 'exportHazardLog',
    method: 'GET',
    path: '/api/office/hazards/{hazardId}/log',
    handler: 'export-hazard-log',
    table: { read: ['HAZARD#*', 'CHAINHEADS', 'CHAINHEADS#*'] },
    access: {
      kind: 'signedIn',
      roles: officeRoles,
      scope: { in: 'record', record: 'hazard', id: 'hazardId' },
    },
    summary: { zh: '导出隐患日志及哈希', en: "Export a hazard's log with its hashes" },
    pathParameters: { schema: hazardIdParameters, example: { hazardId: exampleHazardId } },
    response: {
      status: 200,
      body: hazardLogSchema,
      example: {
        hazardId: exampleHazardId,
        exportedAt: '2026-11-22T09:00:00.000Z',
        chain: { valid: true, head: 'a'.repeat(64) },
        inclusion: {
          date: '2026-11-21',
          sequence: 1,
          leafIndex: 0,
          treeSize: 2,
          path: ['b'.repeat(64)],
        },
        events: [{ sequence: 1, type: 'hazard_reported', hash: 'a'.repeat(64) }],
        photos: [
          {
            sequence: 1,
            type: 'hazard_reported',
            key: `evidence/${exampleHazardId}/0f8fad5b-d9cb-469f-a165-70867728950e`,
            sha256: 'c'.repeat(64),
          },
        ],
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
