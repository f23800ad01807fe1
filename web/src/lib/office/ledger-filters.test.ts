import { describe, expect, it } from 'vitest';
import { filterQuery, filtersOf } from './ledger-filters.ts';

describe('the ledger filters in the address', () => {
  it('reads what it knows and passes it on as the API takes it', () => {
    const search = new URLSearchParams(
      'jurisdiction=cq-gecheng&status=rectifying&grade=major&industry=fire&foundFrom=2026-01-01' +
        '&enterprise=&sort=deadline&order=asc&other=x',
    );
    const values = filtersOf(search);
    expect(values).toEqual({
      grade: 'major',
      industry: 'fire',
      foundFrom: '2026-01-01',
      sort: 'deadline-asc',
    });
    expect(filterQuery(values)).toEqual({
      grade: 'major',
      industry: 'fire',
      foundFrom: '2026-01-01',
      sort: 'deadline',
      order: 'asc',
    });
  });

  it('drops an order it does not offer', () => {
    expect(filtersOf(new URLSearchParams('sort=place&order=up'))).toEqual({});
  });
});
