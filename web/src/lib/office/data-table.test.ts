import { render } from 'svelte/server';
import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '#lib/paraglide/runtime.js';
import DataTable from './DataTable.svelte';
import { formatFigure, type TableColumn } from './data-table.ts';

interface Region {
  code: string;
  name: string;
  found: number;
  onTime: number | null;
}

const columns: TableColumn<Region>[] = [
  { key: 'found', label: 'Found', number: (row) => row.found },
  { key: 'onTime', label: 'On time', number: (row) => row.onTime, percent: true },
  { key: 'note', label: 'Note', text: (row) => `note ${row.code}` },
];

/** The markup without hydration marks and scoping classes. */
const plain = (html: string) =>
  html
    .replaceAll(/<!--[^>]*-->/g, '')
    .replaceAll(/ ?svelte-[a-z0-9]+/g, '')
    .replaceAll('class=" ', 'class="')
    .replaceAll(' class=""', '');

const table = (rows: Region[]) =>
  plain(
    render(DataTable<Region, Region>, {
      props: {
        name: 'regions',
        caption: 'By region',
        rowHeader: { label: 'Region', text: (row) => row.name },
        columns,
        rows,
        rowKey: (row) => row.code,
        rowData: (row) => ({ 'data-region': row.code }),
        totals: { label: 'Total', row: { code: 'all', name: '', found: 12345, onTime: 66.66 } },
        empty: 'Nothing found',
      },
    }).body,
  );

afterEach(() => overwriteGetLocale(() => 'zh-CN'));

describe('formatFigure', () => {
  it('groups thousands and keeps one decimal, in the reader’s language', () => {
    expect(formatFigure(12345.67, 'en')).toBe('12,345.7');
    expect(formatFigure(12345.67, 'zh-CN')).toBe('12,345.7');
    expect(formatFigure(0, 'en')).toBe('0');
  });

  it('gives a share in per cent and a mean of nothing as a dash', () => {
    expect(formatFigure(66.66, 'en', true)).toBe('66.7%');
    expect(formatFigure(100, 'zh-CN', true)).toBe('100%');
    expect(formatFigure(null, 'en')).toBe('—');
  });
});

describe('DataTable', () => {
  it('has its caption, column and row headers with scope, and numbers formatted and right-aligned', () => {
    overwriteGetLocale(() => 'en');
    const html = table([{ code: 'a', name: 'Gecheng', found: 1234, onTime: 50 }]);
    expect(html).toMatch(/<caption[^>]*>By region<\/caption>/);
    expect(html.match(/<th scope="col"/g)).toHaveLength(4);
    expect(html).toMatch(/<tr data-region="a"><th scope="row"[^>]*>Gecheng<\/th>/);
    expect(html).toMatch(/<td data-column="found" class="numeric">1,234<\/td>/);
    expect(html).toMatch(/<td data-column="onTime" class="numeric">50%<\/td>/);
    // A text column is not a number: it starts at the start.
    expect(html).toMatch(/<td data-column="note">note a<\/td>/);
    expect(html).toMatch(/<tfoot[^>]*>[\s\S]*Total[\s\S]*12,345[\s\S]*66\.7%/);
  });

  it('says there is nothing to show in place of no rows, across the whole table', () => {
    const html = table([]);
    expect(html).toMatch(/<td colspan="4" class="empty">Nothing found<\/td>/);
    expect(html).not.toContain('<tfoot>');
  });
});
