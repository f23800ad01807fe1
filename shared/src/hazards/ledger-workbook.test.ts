import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type LedgerRow, ledgerColumns, ledgerFilterNames } from './ledger-export.ts';
import { ledgerHeaderRow, ledgerSheetName, writeLedgerWorkbook } from './ledger-workbook.ts';

const row = (index: number, description: string): LedgerRow => [
  index,
  `hazard${index}`,
  '2026-11-01',
  '一般隐患',
  'fire',
  '91350100M000100Y43',
  '一号车间',
  description,
  '@王某',
  '+1 更换灭火器',
  '2026-12-31',
  '整改中',
  3,
  '',
  '',
];

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function writeAndOpen(rows: readonly LedgerRow[]) {
  const output = new PassThrough();
  const [count, bytes] = await Promise.all([
    writeLedgerWorkbook(
      output,
      {
        jurisdiction: 'cq-gecheng',
        jurisdictionName: { zh: '格城区', en: 'Gecheng District' },
        exportedAt: new Date('2026-12-03T14:30:00Z'),
        filters: ledgerFilterNames({ jurisdiction: 'cq-gecheng', status: 'rectifying' }),
      },
      each(rows),
    ),
    buffer(output),
  ]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  const sheet = workbook.getWorksheet(ledgerSheetName);
  if (!sheet) throw new Error('the ledger sheet is missing');
  return { count, sheet };
}

describe('the ledger workbook (隐患排查治理台账 as offices file it)', () => {
  it('has a title, the jurisdiction, time of export and filters above a frozen, filtered header', async () => {
    const { count, sheet } = await writeAndOpen([row(1, '疏散通道堆放杂物')]);
    expect(count).toBe(1);
    expect(sheet.getCell('A1').value).toBe('格城区 隐患排查治理台账');
    expect(String(sheet.getCell('A2').value)).toContain('格城区 Gecheng District（cq-gecheng）');
    expect(String(sheet.getCell('A2').value)).toContain('2026-12-03 22:30（北京时间 CST）');
    expect(String(sheet.getCell('A3').value)).toContain('状态：整改中 status: rectifying');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: ledgerHeaderRow });
    const header = sheet.getRow(ledgerHeaderRow);
    expect(ledgerColumns.map((_, index) => String(header.getCell(index + 1).value))).toEqual(
      ledgerColumns.map((name) => expect.stringMatching(new RegExp(`^${name}\\n`))),
    );
    expect(String(header.getCell(2).value)).toBe('隐患编号\nHazard ID');
    expect(sheet.autoFilter).toBe('A4:P4');
    expect(sheet.getColumn(8).width).toBe(40);
    expect(sheet.getCell('P1').master.address).toBe('A1');
    expect(sheet.getCell('A1').font).toMatchObject({ bold: true, size: 16 });
    expect(header.getCell(1).fill).toMatchObject({ fgColor: { argb: 'FFDDEBF7' } });
    const first = sheet.getRow(ledgerHeaderRow + 1);
    expect(first.getCell(1).border?.bottom).toMatchObject({ style: 'thin' });
    expect(first.getCell(8).alignment).toMatchObject({ vertical: 'top', wrapText: true });
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true });
  });

  it('holds dates as dates and numbers as numbers', async () => {
    const { sheet } = await writeAndOpen([row(1, '疏散通道堆放杂物')]);
    const first = sheet.getRow(ledgerHeaderRow + 1);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(3).value).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(first.getCell(3).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(11).value).toEqual(new Date('2026-12-31T00:00:00Z'));
    expect(first.getCell(13).value).toBe(3);
  });

  it('defuses text a spreadsheet would run as a formula', async () => {
    const attacks = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(1+1)', '\t=1', '\r=1'];
    const { sheet } = await writeAndOpen(attacks.map((text, index) => row(index + 1, text)));
    for (const [index, attack] of attacks.entries()) {
      const cell = sheet.getRow(ledgerHeaderRow + 1 + index).getCell(8);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      // XML reads a carriage return back as a line feed: the apostrophe is what matters.
      expect(cell.value).toBe(`'${attack}`.replace('\r', '\n'));
      expect(cell.formula).toBeUndefined();
    }
    expect(sheet.getRow(ledgerHeaderRow + 1).getCell(9).value).toBe("'@王某");
    expect(sheet.getRow(ledgerHeaderRow + 1).getCell(10).value).toBe("'+1 更换灭火器");
  });
});
