/**
 * The ledger's filters as the address holds them: the same names and values as the API's
 * query (hazardLedgerFilterSchema), so the page passes them on as they are and a link
 * reproduces the view. The form's one "order" choice is the API's sort and order together.
 */
export const ledgerFilterKeys = [
  'grade',
  'source',
  'industry',
  'unit',
  'enterprise',
  'community',
  'foundFrom',
  'foundTo',
  'overdue',
] as const;
export const ledgerSorts = [
  'foundOn-desc',
  'foundOn-asc',
  'deadline-asc',
  'deadline-desc',
] as const;

export type LedgerFilterValues = Partial<
  Record<(typeof ledgerFilterKeys)[number], string> & { sort: (typeof ledgerSorts)[number] }
>;

/** The filters an address asks for (unknown or empty ones left out). */
export function filtersOf(search: Pick<URLSearchParams, 'get'>): LedgerFilterValues {
  const values: LedgerFilterValues = {};
  for (const key of ledgerFilterKeys) {
    const value = search.get(key)?.trim();
    if (value) values[key] = value;
  }
  const sort = `${search.get('sort') ?? ''}-${search.get('order') ?? ''}`;
  const chosen = ledgerSorts.find((each) => each === sort);
  if (chosen) values.sort = chosen;
  return values;
}

/** The query the API (and the address) takes for these filters: only those chosen. */
export function filterQuery(values: LedgerFilterValues): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of ledgerFilterKeys) {
    const value = values[key]?.trim();
    if (value) query[key] = value;
  }
  if (values.sort) {
    const [sort, order] = values.sort.split('-') as [string, string];
    query.sort = sort;
    query.order = order;
  }
  return query;
}
