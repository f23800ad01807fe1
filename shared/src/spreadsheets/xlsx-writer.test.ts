import { PassThrough, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { type Cell, columnName, excelSerial, type SheetWriter, XlsxWriter } from './xlsx-writer.ts';

/** Writes one sheet through the writer and opens the file with exceljs (an independent reader). */
async function writeAndOpen(fill: (sheet: SheetWriter) => Promise<void>) {
  const output = new PassThrough();
  const book = new XlsxWriter(output, {
    creator: '清零 & <Qingling>',
    created: new Date('2026-12-03T14:30:00Z'),
    styles: [{ font: { bold: true }, border: 'thin', fill: 'FFDDEBF7' }, { numberFormat: '0.00' }],
  });
  const writing = (async () => {
    const sheet = book.addSheet('台账 <1>', {
      columnWidths: [6, undefined, 40],
      frozen: { rows: 2, columns: 1 },
      autoFilter: 'A2:C2',
      landscapeFitToWidth: true,
    });
    await fill(sheet);
    await book.end();
  })();
  const [bytes] = await Promise.all([buffer(output), writing]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  const sheet = workbook.getWorksheet('台账 <1>');
  if (!sheet) throw new Error('the sheet is missing');
  return { workbook, sheet, bytes };
}

const rowOf = async (cells: readonly Cell[]) =>
  (await writeAndOpen((sheet) => sheet.addRow(cells))).sheet.getRow(1);

describe('the streaming .xlsx writer', () => {
  it('names columns and counts Excel days', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    expect(excelSerial(new Date('2026-11-01T00:00:00Z'))).toBe(46327);
    expect(excelSerial(new Date('1900-03-01T12:00:00Z'))).toBe(61.5);
  });

  it('writes text, numbers and dates that read back as they went in', async () => {
    const row = await rowOf([
      'a < b && c > "d" \'e\'',
      3.25,
      new Date('2026-11-01T00:00:00Z'),
      { value: 7, style: 2 },
      null,
      '疏散通道\n堆放杂物',
      '',
    ]);
    expect(row.getCell(1).value).toBe('a < b && c > "d" \'e\'');
    expect(row.getCell(2).value).toBe(3.25);
    expect(row.getCell(3).value).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(row.getCell(3).numFmt).toBe('yyyy-mm-dd');
    expect(row.getCell(4).numFmt).toBe('0.00');
    expect(row.getCell(5).value).toBeNull();
    expect(row.getCell(6).value).toBe('疏散通道\n堆放杂物');
    expect(row.getCell(7).value).toBeNull();
  });

  it('drops characters XML 1.0 cannot hold, keeping the rest (and pairs of surrogates)', async () => {
    const row = await rowOf([
      'a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFF',
      'lone \uD800 high, lone \uDC00 low, pair 😀',
      'tab\tstays',
    ]);
    expect(row.getCell(1).value).toBe('abcdefgh');
    expect(row.getCell(2).value).toBe('lone  high, lone  low, pair 😀');
    expect(row.getCell(3).value).toBe('tab\tstays');
  });

  it("keeps text that looks like Excel's own _xHHHH_ escape from being read as one", async () => {
    // Excel reads _x0041_ in a cell's text as "A"; its underscore written as _x005F_ keeps
    // the text as typed. (exceljs does not decode inline strings: it shows the escape.)
    const { bytes } = await writeAndOpen((sheet) => sheet.addRow(['_x0041_ and _x000d_ _x41_']));
    const xml = new TextDecoder().decode(
      unzipSync(new Uint8Array(bytes))['xl/worksheets/sheet1.xml'],
    );
    expect(xml).toContain('>_x005F_x0041_ and _x005F_x000d_ _x41_</t>');
  });

  it('writes text starting with = as text, never as a formula', async () => {
    const row = await rowOf(['=1+1', '=HYPERLINK("http://x","y")', '@SUM(A1)']);
    for (const [index, text] of ['=1+1', '=HYPERLINK("http://x","y")', '@SUM(A1)'].entries()) {
      const cell = row.getCell(index + 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(text);
      expect(cell.formula).toBeUndefined();
    }
  });

  it('keeps a number no cell can hold (NaN, Infinity) and an invalid date out', async () => {
    const row = await rowOf([Number.NaN, Number.POSITIVE_INFINITY, new Date(Number.NaN), 1]);
    expect([1, 2, 3, 4].map((column) => row.getCell(column).value)).toEqual([null, null, null, 1]);
  });

  it('lays the sheet out: widths, frozen pane, auto-filter, merges, heights, styles, properties', async () => {
    const { workbook, sheet } = await writeAndOpen(async (sheet) => {
      await sheet.addRow([{ value: 'title', style: 1 }], { height: 32 });
      sheet.mergeCells('A1:C1');
      await sheet.addRow(['x', 'y', 'z'], { style: 1 });
    });
    expect(workbook.creator).toBe('清零 & <Qingling>');
    expect(workbook.created).toEqual(new Date('2026-12-03T14:30:00Z'));
    expect(sheet.getColumn(1).width).toBe(6);
    expect(sheet.getColumn(3).width).toBe(40);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 2 });
    expect(sheet.autoFilter).toBe('A2:C2');
    expect(sheet.getCell('C1').isMerged).toBe(true);
    expect(sheet.getCell('C1').master.address).toBe('A1');
    expect(sheet.getRow(1).height).toBe(32);
    expect(sheet.getCell('B2').font).toMatchObject({ bold: true });
    expect(sheet.getCell('B2').border?.top).toMatchObject({ style: 'thin' });
    expect(sheet.getCell('B2').fill).toMatchObject({ fgColor: { argb: 'FFDDEBF7' } });
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true });
  });

  it('writes many rows, each read back in order, into well-formed zip entries', {
    timeout: 30_000,
  }, async () => {
    const count = 20_000;
    const { sheet, bytes } = await writeAndOpen(async (sheet) => {
      for (let index = 1; index <= count; index += 1) {
        await sheet.addRow([index, `第 ${index} 行`, new Date(Date.UTC(2026, 0, index))]);
      }
    });
    expect(sheet.rowCount).toBe(count);
    expect(sheet.getRow(count).getCell(2).value).toBe(`第 ${count} 行`);
    expect(sheet.getRow(count).getCell(3).value).toEqual(new Date(Date.UTC(2026, 0, count)));
    // A second reader (fflate's unzip checks each entry's CRC and size) agrees.
    const entries = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(entries).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/core.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
  });

  it('waits for a slow output instead of holding the rows in memory', async () => {
    let written = 0;
    let release: () => void = () => {};
    // An output that takes one chunk and then nothing until released.
    const output = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        release = done;
      },
    });
    const book = new XlsxWriter(output);
    const sheet = book.addSheet('rows');
    let rows = 0;
    const writing = (async () => {
      for (; rows < 100_000; rows += 1) await sheet.addRow([rows, `row ${rows} `.repeat(10)]);
    })();
    // Let the writer run until it stops for the output (deflating runs on a thread of its
    // own, so it takes some turns): then it stays stopped, far short of all the rows.
    const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
    let unchanged = 0;
    for (let turns = 0; turns < 2_000 && unchanged < 50; turns += 1) {
      const before = rows;
      await turn();
      unchanged = rows === before ? unchanged + 1 : 0;
    }
    expect(unchanged).toBe(50);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(20_000);
    expect(output.writableLength).toBeLessThan(64 * 1024);
    expect(written).toBeGreaterThan(0);
    output.destroy();
    release();
    await expect(writing).rejects.toThrow();
  });

  it('fails, not hangs, when the output fails part way (an upload refused)', async () => {
    let writes = 0;
    const output = new Writable({
      write(_chunk, _encoding, done) {
        writes += 1;
        done(writes === 3 ? new Error('upload refused') : null);
      },
    });
    output.on('error', () => {}); // the upload's owner sees it; here the writer must too
    const book = new XlsxWriter(output);
    const sheet = book.addSheet('rows');
    const writing = (async () => {
      for (let row = 0; row < 100_000; row += 1) await sheet.addRow([row, `row ${row}`]);
      await book.end();
    })();
    await expect(writing).rejects.toThrow();
  });
});
