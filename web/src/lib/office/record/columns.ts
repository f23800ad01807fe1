import type { Snippet } from 'svelte';

/** One column of a RecordTable: its header, and what a row shows in it. */
export interface Column<Row> {
  label: string;
  cell: Snippet<[Row]>;
  /** How the cell is set: a code, a number, on one line, or running text. */
  class?: 'code' | 'number' | 'nowrap' | 'text';
}
