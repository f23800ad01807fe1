import type { Snippet } from 'svelte';

/**
 * The columns of a DataTable (the console's tables of figures: statistics, rewards). A
 * column shows a number (formatted for the reader's language, right-aligned), a text, or
 * markup of its own (a snippet given the row and the column's key: a link, a badge);
 * `numeric` right-aligns that markup as well.
 */
export type TableColumn<Row> = {
  /** Also the cells' `data-column`, for tests and styles. */
  key: string;
  label: string;
} & (
  | { number: (row: Row) => number | null; percent?: boolean }
  | { text: (row: Row) => string }
  | { cell: Snippet<[Row, string]>; numeric?: boolean }
);

/** The first column, each row's name (`<th scope="row">`); `indent` steps for a tree. */
export interface RowHeader<Row> {
  label: string;
  text: (row: Row) => string;
  indent?: (row: Row) => number;
}

export const isNumeric = <Row>(column: TableColumn<Row>): boolean =>
  'number' in column || ('cell' in column && Boolean(column.numeric));

/** The mark for a figure that cannot be worked out (a mean of nothing). */
export const noData = '—';

/**
 * A figure as the reader's language writes it: grouped thousands, at most one decimal;
 * a percentage is given in per cent (66.7 → "66.7%").
 */
export function formatFigure(value: number | null, locale: string, percent = false): string {
  if (value === null || !Number.isFinite(value)) return noData;
  return new Intl.NumberFormat(locale === 'en' ? 'en' : 'zh-CN', {
    maximumFractionDigits: 1,
    ...(percent ? { style: 'percent' } : {}),
  }).format(percent ? value / 100 : value);
}
