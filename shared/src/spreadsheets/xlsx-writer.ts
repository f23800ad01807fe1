import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { constants, crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';
import { Zip, type ZipInputFile } from 'fflate';

/**
 * A streaming .xlsx (SpreadsheetML) writer: a workbook is XML parts in a zip, and a sheet's
 * rows are written into its zip entry as they come, so nothing is held per row whatever
 * their number. Strings are inline (`t="inlineStr"`), never shared: a shared-strings table
 * would keep every distinct text until the end. The zip is fflate's (entries written one
 * after the other, sizes in data descriptors); each entry is deflated by node:zlib, which
 * runs native and off the main thread (8 MB of sheet XML in 64 KiB pushes: 70–280 ms,
 * against 630–780 ms for fflate's ZipDeflate in JavaScript), and the writer waits for the
 * deflater and for `output` to drain, so a slow reader holds the rows back instead of
 * letting them pile up in memory.
 */

/** What a cell may hold; `null`/`undefined` leave it empty. */
export type CellValue = string | number | Date | null | undefined;
/** A cell: its value, or its value with a style of its own (an index into the styles). */
export type Cell = CellValue | { value: CellValue; style: number };

/** A cell format. Styles are declared once per workbook and cells name them by index. */
export interface CellStyle {
  font?: { bold?: boolean; size?: number };
  /** A solid fill, as ARGB (FFDDEBF7). */
  fill?: string;
  border?: 'thin';
  alignment?: {
    horizontal?: 'left' | 'center' | 'right';
    vertical?: 'top' | 'center' | 'bottom';
    wrapText?: boolean;
  };
  /** An Excel number format (0.00, yyyy-mm-dd). A date cell gets the date format if none. */
  numberFormat?: string;
}

export interface WorkbookOptions {
  /** The cell styles cells refer to: style 0 is Excel's default, style n is `styles[n - 1]`. */
  styles?: readonly CellStyle[];
  creator?: string;
  /** When the workbook was made (its properties and the zip entries' times). */
  created?: Date;
  /** The number format of date cells whose style gives none (default yyyy-mm-dd). */
  dateFormat?: string;
}

export interface SheetOptions {
  /** Column widths in characters, from column A; `undefined` keeps Excel's default. */
  columnWidths?: readonly (number | undefined)[];
  /** Rows and columns kept in view when scrolling (the top `rows`, the left `columns`). */
  frozen?: { rows?: number; columns?: number };
  /** The range an auto-filter sits on (A4:O4), or none. */
  autoFilter?: string;
  /** Print across the page, scaled to one page wide. */
  landscapeFitToWidth?: boolean;
}

export interface RowOptions {
  /** Height in points. */
  height?: number;
  /** The style of this row's cells that name none. */
  style?: number;
}

const xmlHeader = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const mainNamespace = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relationshipNamespace = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const packageRelationships = 'http://schemas.openxmlformats.org/package/2006/relationships';

// Characters XML 1.0 cannot hold at all (control characters, U+FFFE/U+FFFF, and halves of
// surrogate pairs left alone): they are dropped, since no reader would open the file.
const illegalXml =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Excel reads _xHHHH_ in text as the character HHHH: text that looks so keeps its underscore.
const excelEscapeLike = /_(x[0-9A-Fa-f]{4}_)/g;

/** Text as XML character data or an attribute value (double-quoted). */
export function xmlText(text: string): string {
  return text
    .replace(illegalXml, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A cell's text: XML-escaped, and Excel's own _xHHHH_ escapes made literal. */
function cellText(text: string): string {
  return xmlText(text).replace(excelEscapeLike, '_x005F_$1');
}

const dayMs = 86_400_000;
/** 1899-12-30, Excel's day 0 (for dates from 1900-03-01: Excel counts 1900-02-29). */
const excelEpochMs = Date.UTC(1899, 11, 30);

/** An instant as an Excel date serial number (days and fraction of a day, in UTC). */
export function excelSerial(date: Date): number {
  return (date.getTime() - excelEpochMs) / dayMs;
}

/** The column's letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  }
  return name;
}

/** Resolves when `stream` drains; rejects if it fails or closes first (nothing would come). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (error: Error) => done(error);
    const onClose = () => done(new Error('the output closed before the workbook was written'));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/**
 * One zip entry, deflated by node:zlib: fflate's Zip writes its header, then the deflated
 * bytes as they come, then the CRC and sizes (computed here as the text goes in).
 */
class DeflatedEntry implements ZipInputFile {
  readonly compression = 8;
  crc = 0;
  size = 0;
  ondata?: ZipInputFile['ondata'];
  readonly finished: Promise<void>;
  private readonly deflater: DeflateRaw;

  readonly filename: string;
  readonly mtime: Date;

  constructor(filename: string, mtime: Date) {
    this.filename = filename;
    this.mtime = mtime;
    this.deflater = createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION });
    // A Buffer is a Uint8Array (fflate's types ask for one over an ArrayBuffer only).
    this.deflater.on('data', (chunk: Uint8Array<ArrayBuffer>) => this.ondata?.(null, chunk, false));
    this.finished = new Promise((resolve, reject) => {
      this.deflater.on('end', () => {
        this.ondata?.(null, new Uint8Array(0), true);
        resolve();
      });
      this.deflater.on('error', reject);
    });
  }

  /** Adds bytes; resolves at once unless the deflater asks to wait. */
  async write(bytes: Uint8Array): Promise<void> {
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    if (!this.deflater.write(bytes)) await drained(this.deflater);
  }

  async end(): Promise<void> {
    this.deflater.end();
    await this.finished;
  }

  terminate(): void {
    this.deflater.destroy();
  }
}

/** Text gathered until there is enough to deflate in one go. */
const flushChars = 64 * 1024;

/** A workbook written into `output`: add its sheets one at a time, then `end()` it. */
export class XlsxWriter {
  private readonly zip: Zip;
  private readonly created: Date;
  private readonly sheets: { name: string; autoFilter?: string }[] = [];
  private readonly styles: readonly CellStyle[];
  /** Per style index, the style a date in it takes (the same, with a date format). */
  private readonly dateStyles: number[];
  private current?: SheetWriter;
  private failure?: Error;
  private readonly output: Writable;
  private readonly options: WorkbookOptions;

  constructor(output: Writable, options: WorkbookOptions = {}) {
    this.output = output;
    this.options = options;
    this.created = options.created ?? new Date();
    const dateFormat = options.dateFormat ?? 'yyyy-mm-dd';
    const declared = [{}, ...(options.styles ?? [])];
    // Every style without a number format gets a twin with the date format, for dates.
    const twins = declared.filter((style) => !style.numberFormat);
    let next = declared.length;
    this.dateStyles = declared.map((style, index) => (style.numberFormat ? index : next++));
    this.styles = [...declared, ...twins.map((style) => ({ ...style, numberFormat: dateFormat }))];
    this.zip = new Zip((error, chunk, final) => {
      if (error) {
        // fflate fails only on what this writer gives it; the output is not left half done.
        this.failure = error;
        output.destroy(error);
        return;
      }
      // A destroyed output (its reader failed) takes nothing more: the next write says so.
      if (output.destroyed) return;
      if (chunk.length) output.write(chunk);
      if (final) output.end();
    });
  }

  /** Starts a sheet (the one before must be ended). */
  addSheet(name: string, options: SheetOptions = {}): SheetWriter {
    if (this.current && !this.current.ended) throw new Error('end the sheet before the next');
    const index = this.sheets.length + 1;
    this.sheets.push({
      name: name.replace(illegalXml, ''),
      ...(options.autoFilter ? { autoFilter: options.autoFilter } : {}),
    });
    const entry = this.entry(`xl/worksheets/sheet${index}.xml`);
    this.current = new SheetWriter(this, entry, this.dateStyles, options);
    return this.current;
  }

  /** Writes the workbook's own parts and ends `output` once all of it is there. */
  async end(): Promise<void> {
    if (this.current && !this.current.ended) await this.current.end();
    const sheets = this.sheets;
    const parts: [string, string][] = [
      ['[Content_Types].xml', contentTypes(sheets.length)],
      ['_rels/.rels', rootRelationships()],
      ['docProps/core.xml', coreProperties(this.options.creator ?? '', this.created)],
      ['xl/workbook.xml', workbookPart(sheets)],
      ['xl/_rels/workbook.xml.rels', workbookRelationships(sheets.length)],
      ['xl/styles.xml', stylesPart(this.styles)],
    ];
    for (const [name, xml] of parts) {
      const entry = this.entry(name);
      await this.write(entry, Buffer.from(xml, 'utf8'));
      await entry.end();
    }
    this.zip.end();
    // Until all of it is written into `output` (not read from it: that is its reader's).
    await finished(this.output, { readable: false });
    if (this.failure) throw this.failure;
  }

  private entry(name: string): DeflatedEntry {
    const entry = new DeflatedEntry(name, this.created);
    this.zip.add(entry);
    return entry;
  }

  /** Feeds an entry, then waits while `output` holds more than it wants. */
  async write(entry: DeflatedEntry, bytes: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.output.destroyed) throw new Error('the output closed before the workbook was written');
    await entry.write(bytes);
    if (this.output.writableNeedDrain) await drained(this.output);
  }
}

/** A sheet being written: rows in order, each written out as it comes. */
export class SheetWriter {
  private text = '';
  private rowNumber = 0;
  private readonly merges: string[] = [];
  private readonly columns: string[] = [];
  ended = false;
  private readonly book: XlsxWriter;
  private readonly entry: DeflatedEntry;
  private readonly dateStyles: readonly number[];
  private readonly options: SheetOptions;

  constructor(
    book: XlsxWriter,
    entry: DeflatedEntry,
    dateStyles: readonly number[],
    options: SheetOptions,
  ) {
    this.book = book;
    this.entry = entry;
    this.dateStyles = dateStyles;
    this.options = options;
    this.text = `${xmlHeader}<worksheet xmlns="${mainNamespace}" xmlns:r="${relationshipNamespace}">${sheetStart(options)}<sheetData>`;
  }

  /** The number of rows written so far (the last row's number). */
  get rowCount(): number {
    return this.rowNumber;
  }

  private column(index: number): string {
    let name = this.columns[index];
    if (name === undefined) {
      name = columnName(index);
      this.columns[index] = name;
    }
    return name;
  }

  /** Merges a range (A1:O1) into one cell: its first cell's value shows. */
  mergeCells(range: string): void {
    this.merges.push(range);
  }

  /** Writes the next row; resolves at once unless the output asks to wait. */
  async addRow(cells: readonly Cell[], options: RowOptions = {}): Promise<void> {
    if (this.ended) throw new Error('the sheet has ended');
    this.rowNumber += 1;
    const row = this.rowNumber;
    let xml =
      options.height === undefined
        ? `<row r="${row}">`
        : `<row r="${row}" ht="${options.height}" customHeight="1">`;
    for (let index = 0; index < cells.length; index += 1) {
      const cell = cells[index];
      const [value, style] =
        cell !== null && typeof cell === 'object' && !(cell instanceof Date)
          ? [cell.value, cell.style]
          : [cell, options.style ?? 0];
      xml += this.cell(`${this.column(index)}${row}`, value, style);
    }
    this.text += `${xml}</row>`;
    if (this.text.length >= flushChars) await this.flush();
  }

  private cell(reference: string, value: CellValue, style: number): string {
    const s = style ? ` s="${style}"` : '';
    // Empty text is an empty cell (what a reader shows and filters as blank either way).
    if (typeof value === 'string' && value !== '') {
      return `<c r="${reference}"${s} t="inlineStr"><is><t xml:space="preserve">${cellText(value)}</t></is></c>`;
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      return `<c r="${reference}"${s}><v>${value}</v></c>`;
    }
    if (value instanceof Date && Number.isFinite(value.getTime())) {
      const dated = this.dateStyles[style] ?? style;
      return `<c r="${reference}" s="${dated}"><v>${excelSerial(value)}</v></c>`;
    }
    // Empty, or a number or date no cell can hold (NaN, Infinity): only the style is kept.
    return style ? `<c r="${reference}"${s}/>` : '';
  }

  private async flush(): Promise<void> {
    const text = this.text;
    this.text = '';
    await this.book.write(this.entry, Buffer.from(text, 'utf8'));
  }

  /** Ends the sheet: what comes after its rows (filter, merges, page setup). */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.text += `</sheetData>${sheetEnd(this.options, this.merges)}</worksheet>`;
    await this.flush();
    await this.entry.end();
  }
}

function sheetStart(options: SheetOptions): string {
  let xml = options.landscapeFitToWidth ? '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' : '';
  const rows = options.frozen?.rows ?? 0;
  const columns = options.frozen?.columns ?? 0;
  if (rows || columns) {
    const topLeft = `${columnName(columns)}${rows + 1}`;
    const pane = rows && columns ? 'bottomRight' : rows ? 'bottomLeft' : 'topRight';
    xml +=
      '<sheetViews><sheetView workbookViewId="0">' +
      `<pane${columns ? ` xSplit="${columns}"` : ''}${rows ? ` ySplit="${rows}"` : ''} topLeftCell="${topLeft}" activePane="${pane}" state="frozen"/>` +
      `<selection pane="${pane}" activeCell="${topLeft}" sqref="${topLeft}"/>` +
      '</sheetView></sheetViews>';
  } else {
    xml += '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  }
  xml += '<sheetFormatPr defaultRowHeight="15"/>';
  const widths = options.columnWidths ?? [];
  const cols = widths
    .map((width, index) =>
      width === undefined
        ? ''
        : `<col min="${index + 1}" max="${index + 1}" width="${width}" customWidth="1"/>`,
    )
    .join('');
  if (cols) xml += `<cols>${cols}</cols>`;
  return xml;
}

function sheetEnd(options: SheetOptions, merges: readonly string[]): string {
  let xml = options.autoFilter ? `<autoFilter ref="${xmlText(options.autoFilter)}"/>` : '';
  if (merges.length) {
    xml += `<mergeCells count="${merges.length}">${merges.map((range) => `<mergeCell ref="${xmlText(range)}"/>`).join('')}</mergeCells>`;
  }
  xml += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
  if (options.landscapeFitToWidth) {
    xml += '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>';
  }
  return xml;
}

const sheetContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

function contentTypes(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, index) =>
      `<Override PartName="/xl/worksheets/sheet${index + 1}.xml" ContentType="${sheetContentType}.worksheet+xml"/>`,
  ).join('');
  return (
    `${xmlHeader}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${sheetContentType}.sheet.main+xml"/>` +
    sheets +
    `<Override PartName="/xl/styles.xml" ContentType="${sheetContentType}.styles+xml"/>` +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '</Types>'
  );
}

function rootRelationships(): string {
  return (
    `${xmlHeader}<Relationships xmlns="${packageRelationships}">` +
    `<Relationship Id="rId1" Type="${relationshipNamespace}/officeDocument" Target="xl/workbook.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    '</Relationships>'
  );
}

function coreProperties(creator: string, created: Date): string {
  const at = `${created.toISOString().slice(0, 19)}Z`;
  return (
    `${xmlHeader}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${xmlText(creator)}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** An absolute reference to a range on a sheet: '台账'!$A$4:$O$4. */
function absoluteRange(sheet: string, range: string): string {
  const absolute = range.replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');
  return `'${sheet.replaceAll("'", "''")}'!${absolute}`;
}

function workbookPart(sheets: readonly { name: string; autoFilter?: string }[]): string {
  const entries = sheets
    .map(
      (sheet, index) =>
        `<sheet name="${xmlText(sheet.name)}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`,
    )
    .join('');
  // Excel keeps an auto-filter's range as a hidden name of its sheet as well.
  const names = sheets
    .map((sheet, index) =>
      sheet.autoFilter
        ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${index}" hidden="1">${xmlText(absoluteRange(sheet.name, sheet.autoFilter))}</definedName>`
        : '',
    )
    .join('');
  return (
    `${xmlHeader}<workbook xmlns="${mainNamespace}" xmlns:r="${relationshipNamespace}">` +
    '<bookViews><workbookView/></bookViews>' +
    `<sheets>${entries}</sheets>` +
    (names ? `<definedNames>${names}</definedNames>` : '') +
    '</workbook>'
  );
}

function workbookRelationships(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, index) =>
      `<Relationship Id="rId${index + 1}" Type="${relationshipNamespace}/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`,
  ).join('');
  return (
    `${xmlHeader}<Relationships xmlns="${packageRelationships}">${sheets}` +
    `<Relationship Id="rId${sheetCount + 1}" Type="${relationshipNamespace}/styles" Target="styles.xml"/>` +
    '</Relationships>'
  );
}

/** styles.xml: each style's font, fill, border and number format, deduplicated. */
function stylesPart(styles: readonly CellStyle[]): string {
  const fonts: string[] = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'];
  // Excel requires the first two fills to be these.
  const fills: string[] = [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
  ];
  const borders: string[] = ['<border><left/><right/><top/><bottom/><diagonal/></border>'];
  const formats: string[] = [];
  const indexOf = (list: string[], xml: string) => {
    const found = list.indexOf(xml);
    if (found >= 0) return found;
    list.push(xml);
    return list.length - 1;
  };
  const xfs = styles.map((style) => {
    const font = style.font
      ? indexOf(
          fonts,
          `<font>${style.font.bold ? '<b/>' : ''}<sz val="${style.font.size ?? 11}"/><name val="Calibri"/><family val="2"/></font>`,
        )
      : 0;
    const fill = style.fill
      ? indexOf(
          fills,
          `<fill><patternFill patternType="solid"><fgColor rgb="${xmlText(style.fill)}"/><bgColor indexed="64"/></patternFill></fill>`,
        )
      : 0;
    const border = style.border
      ? indexOf(
          borders,
          '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border>',
        )
      : 0;
    const format = style.numberFormat ? 164 + indexOf(formats, style.numberFormat) : 0;
    const { horizontal, vertical, wrapText } = style.alignment ?? {};
    const alignment = style.alignment
      ? `<alignment${horizontal ? ` horizontal="${horizontal}"` : ''}${vertical ? ` vertical="${vertical}"` : ''}${wrapText ? ' wrapText="1"' : ''}/>`
      : '';
    return (
      `<xf numFmtId="${format}" fontId="${font}" fillId="${fill}" borderId="${border}" xfId="0"` +
      `${format ? ' applyNumberFormat="1"' : ''}${font ? ' applyFont="1"' : ''}${fill ? ' applyFill="1"' : ''}` +
      `${border ? ' applyBorder="1"' : ''}${alignment ? ' applyAlignment="1">' : '>'}${alignment}</xf>`
    );
  });
  const numFmts = formats.length
    ? `<numFmts count="${formats.length}">${formats.map((code, index) => `<numFmt numFmtId="${164 + index}" formatCode="${xmlText(code)}"/>`).join('')}</numFmts>`
    : '';
  return (
    `${xmlHeader}<styleSheet xmlns="${mainNamespace}">${numFmts}` +
    `<fonts count="${fonts.length}">${fonts.join('')}</fonts>` +
    `<fills count="${fills.length}">${fills.join('')}</fills>` +
    `<borders count="${borders.length}">${borders.join('')}</borders>` +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>'
  );
}
