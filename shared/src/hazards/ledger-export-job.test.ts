import { describe, expect, it } from 'vitest';
import {
  askedExport,
  ExportNotRunning,
  exportAsOf,
  exportDone,
  exportFailed,
  exportFailedReason,
  exportFilters,
  exportStalled,
  ledgerExportId,
  ledgerExportStallMs,
  retryKeyOf,
} from './ledger-export-job.ts';

const at = new Date('2026-12-04T06:00:00.000Z');
const asked = askedExport({
  exportId: ledgerExportId(at),
  jurisdiction: 'cq-gecheng',
  format: 'xlsx',
  filters: exportFilters({ jurisdiction: 'cq-gecheng', format: 'xlsx', status: 'reported' }),
  requestedBy: { id: 'demo:cq-gecheng.officer', name: '李明' },
  at,
});
const file = {
  rows: 42,
  fileName: '隐患排查治理台账-cq-gecheng-2026-12-04.xlsx',
  key: 'exports/x',
};
const later = new Date(at.getTime() + 60_000);

describe('a ledger export job', () => {
  it('is asked for running, with its filters and no file', () => {
    expect(asked).toMatchObject({
      status: 'running',
      filters: { status: 'reported' },
      requestedAt: at.toISOString(),
    });
    expect(asked.key).toBeUndefined();
  });

  it('ends done with its file, or failed with why in both languages', () => {
    expect(exportDone(asked, file, later)).toMatchObject({
      status: 'done',
      ...file,
      finishedAt: later.toISOString(),
    });
    expect(exportFailed(asked, exportFailedReason, later)).toMatchObject({
      status: 'failed',
      reason: { zh: expect.stringContaining('导出失败'), en: expect.any(String) },
    });
  });

  it('ends once: a job done or failed is not ended again', () => {
    const done = exportDone(asked, file, later);
    expect(() => exportDone(done, file, later)).toThrow(ExportNotRunning);
    expect(() => exportFailed(done, exportFailedReason, later)).toThrow(ExportNotRunning);
    const failed = exportFailed(asked, exportFailedReason, later);
    expect(() => exportDone(failed, file, later)).toThrow(ExportNotRunning);
  });

  it('reads as failed once running past any worker’s time, and not before', () => {
    const justIn = new Date(at.getTime() + ledgerExportStallMs);
    expect(exportAsOf(asked, justIn).status).toBe('running');
    const past = exportAsOf(asked, new Date(justIn.getTime() + 1));
    expect(past).toMatchObject({ status: 'failed', reason: exportStalled });
    // A job that ended stays as it ended.
    const done = exportDone(asked, file, later);
    expect(exportAsOf(done, new Date(at.getTime() + 2 * ledgerExportStallMs))).toEqual(done);
  });

  it('has ids that sort by time, and retry keys drawn from who asked and their key', () => {
    const ids = [0, 1, 1_000, 86_400_000].map((ms) => ledgerExportId(new Date(at.getTime() + ms)));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-z]{9}-[0-9a-f]{12}$/);
    expect(retryKeyOf('a', 'k')).toBe(retryKeyOf('a', 'k'));
    expect(retryKeyOf('a', 'k')).not.toBe(retryKeyOf('b', 'k'));
  });
});
