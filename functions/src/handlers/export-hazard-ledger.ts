import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import {
  ledgerColumns,
  ledgerCsvLines,
  ledgerFilterNames,
  ledgerRows,
} from '@qingling/shared/hazards/ledger-export.ts';
import { writeLedgerWorkbook } from '@qingling/shared/hazards/ledger-workbook.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/hazard-api.ts';

/** How long the download link works: long enough to follow at once, not to pass around. */
const linkSeconds = 15 * 60;

const contentTypes = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

/**
 * GET /api/office/hazard-ledger: the ledger of one of the caller's jurisdictions as the
 * list's filters show it, read through the list's own index query, page by page.
 *
 * format=xlsx or csv: the file is written as the rows arrive and streamed into storage (S3 multipart upload on AWS, a file on the embedded cloud), then answered as a
 * short-lived link. Neither the rows nor the file are ever whole in memory, and the answer
 * stays small whatever the ledger's size (a Lambda answer is at most 6 MB).
 * format=json: the rows in the answer, for small ledgers.
 */
export const handler = apiHandler('exportHazardLedger', async ({ query }) => {
  const { jurisdiction, format } = query;
  const now = dependencies.clock().now();
  const rows = ledgerRows(dependencies.hazardLedger(), query, now);
  if (format === 'json') {
    const all = [];
    for await (const row of rows) all.push(row);
    return { columns: [...ledgerColumns], rows: all };
  }

  const fileName = `隐患排查治理台账-${jurisdiction}-${cstDate(now)}.${format}`;
  // A new key per request: an export is a file of its moment, never overwritten.
  const key = `exports/hazard-ledger/${jurisdiction}/${randomUUID()}.${format}`;
  const files = dependencies.exportFiles();
  let count = 0;
  if (format === 'csv') {
    const counted = async function* () {
      for await (const line of ledgerCsvLines(rows)) {
        count += 1;
        yield Buffer.from(line, 'utf8');
      }
    };
    await files.putStream(key, contentTypes.csv, counted());
    count -= 1; // the header line
  } else {
    const file = new PassThrough();
    const jurisdictionName = (await dependencies.jurisdictions()).find(
      (each) => each.code === jurisdiction,
    );
    const writing = writeLedgerWorkbook(
      file,
      {
        jurisdiction,
        ...(jurisdictionName
          ? { jurisdictionName: { zh: jurisdictionName.zh, en: jurisdictionName.en } }
          : {}),
        exportedAt: now,
        filters: ledgerFilterNames(query),
      },
      rows,
    ).catch((error: unknown) => {
      // The upload sees the failure and aborts: no half file is left to download.
      file.destroy(error as Error);
      throw error;
    });
    [count] = await Promise.all([writing, files.putStream(key, contentTypes.xlsx, file)]);
  }
  return {
    url: await files.downloadUrl(key, { fileName, expiresInSeconds: linkSeconds }),
    fileName,
    rows: count,
    expiresAt: new Date(now.getTime() + linkSeconds * 1000).toISOString(),
  };
});
