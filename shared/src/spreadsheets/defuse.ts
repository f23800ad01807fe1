/**
 * A cell that a spreadsheet would read as a formula (= + - @, or a leading tab or carriage
 * return) gets an apostrophe in front, so that opening the export runs nothing.
 */
export function defuse(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
