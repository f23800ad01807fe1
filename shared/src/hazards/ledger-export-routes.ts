import * as z from 'zod/mini';
import type { RouteDefinition } from '../api/route-definition.ts';
import { code, withMeta } from '../api/validation.ts';
import { hazardLedgerExportQuerySchema } from './schemas.ts';

/**
 * The ledger's index partitions: gsi1 (HAZARDS#<jurisdiction>#<status>) unfiltered, the
 * filter's indexes (LEDGER#…, ledger-filter.ts) filtered.
 */
export const ledgerIndexes = {
  gsi1: ['HAZARDS#*'],
  gsi3: ['LEDGER#*'],
  gsi4: ['LEDGER#*'],
  gsi5: ['LEDGER#*'],
  gsi6: ['LEDGER#*'],
  gsi7: ['LEDGER#*'],
  gsi8: ['LEDGER#*'],
};

/**
 * The ledger export's routes (issue 15): ask for an export, then read it back. Apart from
 * the hazards' route table so that the other hazard handlers' bundles do not carry these
 * schemas.
 */
const officeRoles = ['officer', 'department_head', 'leader_in_charge', 'principal_leader'] as const;

const bilingualSchema = z.object({ zh: z.string(), en: z.string() });

/** An export job as the office reads it: a fresh short-lived link once its file is written. */
export const ledgerExportJobSchema = withMeta(
  z.object({
    exportId: z.string(),
    jurisdiction: z.string(),
    format: z.enum(['xlsx', 'csv']),
    filters: z.record(z.string(), z.string()),
    requestedBy: z.object({ id: z.string(), name: z.optional(z.string()) }),
    requestedAt: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    rows: z.optional(z.number().check(z.int())),
    fileName: z.optional(z.string()),
    finishedAt: z.optional(z.string()),
    reason: z.optional(bilingualSchema),
    /** Done: a short-lived link to the file (S3 presigned GET); no sign-in needed to follow it. */
    url: z.optional(z.string()),
    expiresAt: z.optional(z.string()),
  }),
  {
    id: 'LedgerExportJob',
    description:
      'An export of the ledger as a file: running (the worker writes it), done (rows, file ' +
      'name, and a short-lived link signed afresh on each read) or failed (why, in Chinese ' +
      "and English). A job running past the worker's 15 minutes reads as failed.",
  },
);

export const hazardLedgerExportSchema = withMeta(
  z.union([
    z.object({
      columns: z.array(z.string()),
      rows: z.array(z.array(z.union([z.string(), z.number()]))),
    }),
    z.object({ export: ledgerExportJobSchema }),
  ]),
  {
    id: 'HazardLedgerExport',
    description:
      'format=xlsx or csv: the export is recorded and its file written outside the request ' +
      '(a 100,000-row ledger takes longer than an API answer may); the answer is the job, ' +
      'running, to read back with getHazardLedgerExports until done. An Idempotency-Key ' +
      'header makes a retried request name the same job. The .xlsx is the 隐患排查治理台账 as ' +
      'offices file it (title, jurisdiction, time of export and filters, frozen ' +
      'Chinese/English header with an auto-filter, dates as dates); the CSV is UTF-8 with a ' +
      'BOM and the Chinese header row. Both defuse text a spreadsheet would run as a ' +
      'formula. format=json: the rows in the answer (small ledgers only: an answer is at ' +
      'most 6 MB).',
  },
);

export const hazardLedgerExportsQuerySchema = z.object({
  jurisdiction: code('cq-gecheng'),
  /** One job by id (anyone of the jurisdiction's office); without it, the caller's latest. */
  exportId: z.optional(z.string().check(z.regex(/^[0-9a-z]{9}-[0-9a-f]{12}$/))),
});

export const hazardLedgerExportsSchema = withMeta(
  z.object({ exports: z.array(ledgerExportJobSchema) }),
  {
    id: 'HazardLedgerExports',
    description:
      'With exportId: that job (an empty list when the jurisdiction has none of that id). ' +
      "Without: the caller's most recent jobs in the jurisdiction, newest first (at most 5).",
  },
);

const exampleExportJob = {
  exportId: 'mi8k2x9c0-3f9a1c2b4d5e',
  jurisdiction: 'cq-gecheng',
  format: 'xlsx',
  filters: { status: 'reported' },
  requestedBy: { id: 'demo-cq-gecheng-officer', name: '李明' },
  requestedAt: '2026-12-03T14:30:00.000Z',
  status: 'running',
} as const;

export const ledgerExportRoutes = [
  {
    operationId: 'exportHazardLedger',
    method: 'GET',
    path: '/api/office/hazard-ledger',
    handler: 'export-hazard-ledger',
    access: {
      kind: 'signedIn',
      roles: officeRoles,
      scope: { in: 'query', field: 'jurisdiction' },
    },
    summary: {
      zh: '导出隐患排查治理台账（登记 Excel 或 CSV 文件的导出任务，或直接给出表格行）',
      en: 'Export the hazard ledger (start an Excel or CSV export job, or the rows themselves)',
    },
    // Files: the job (and its idempotency key) is written to LEDGEREXPORT#<jurisdiction> and
    // its worker invoked; json reads the ledger's indexes.
    uses: ['ledgerExportStart'],
    table: {
      read: ['JURISDICTION', 'LEDGEREXPORT#*'],
      write: ['LEDGEREXPORT#*'],
      indexes: ledgerIndexes,
    },
    query: {
      schema: hazardLedgerExportQuerySchema,
      example: { jurisdiction: 'cq-gecheng', status: 'reported', format: 'xlsx' },
    },
    response: {
      status: 200,
      body: hazardLedgerExportSchema,
      example: { export: exampleExportJob },
    },
  },
  {
    operationId: 'getHazardLedgerExports',
    method: 'GET',
    path: '/api/office/hazard-ledger/exports',
    handler: 'get-hazard-ledger-exports',
    access: {
      kind: 'signedIn',
      roles: officeRoles,
      scope: { in: 'query', field: 'jurisdiction' },
    },
    summary: {
      zh: '台账导出任务：进度与下载链接（本人最近的导出，或按编号查询）',
      en: "Ledger export jobs: progress and download link (the caller's latest, or one by id)",
    },
    // Signs a short-lived link to a finished job's file under exports/.
    uses: ['ledgerExportRead'],
    table: { read: ['LEDGEREXPORT#*'] },
    query: {
      schema: hazardLedgerExportsQuerySchema,
      example: { jurisdiction: 'cq-gecheng', exportId: exampleExportJob.exportId },
    },
    response: {
      status: 200,
      body: hazardLedgerExportsSchema,
      example: {
        exports: [
          {
            ...exampleExportJob,
            status: 'done',
            rows: 42,
            fileName: '隐患排查治理台账-cq-gecheng-2026-12-03.xlsx',
            finishedAt: '2026-12-03T14:30:12.000Z',
            url: 'https://evidence.s3.cn-northwest-1.amazonaws.com.cn/exports/hazard-ledger/cq-gecheng/…',
            expiresAt: '2026-12-03T14:45:12.000Z',
          },
        ],
      },
    },
  },
] as const satisfies readonly RouteDefinition[];
