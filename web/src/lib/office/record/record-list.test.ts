import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestError } from '#lib/api.ts';
import { officeRequest } from '../office-api.ts';
import { chosenJurisdiction, chosenStatus, RecordList } from './record-list.svelte.ts';

// The real module signs out through SvelteKit's navigation; here only the requests matter.
vi.mock('../office-api.ts', () => ({ officeRequest: vi.fn() }));

const request = vi.mocked(officeRequest);
const page = (ids: string[], nextCursor?: string) => ({
  rows: ids.map((id) => ({ id })),
  ...(nextCursor ? { nextCursor } : {}),
});

/** An answer the test gives when it likes. */
function later<T>() {
  let give!: (value: T) => void;
  const answer = new Promise<T>((resolve) => {
    give = resolve;
  });
  return { answer, give };
}

beforeEach(() => {
  request.mockReset();
});

describe('RecordList', () => {
  it('asks with the filter, then the next page with the cursor, and adds it after', async () => {
    const list = new RecordList<{ id: string }>('/api/office/things', 'rows');
    request.mockResolvedValueOnce(page(['a', 'b'], 'c1'));
    expect(await list.load({ jurisdiction: 'j 1', status: 'open' })).toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);
    expect(request).toHaveBeenLastCalledWith('/api/office/things?jurisdiction=j+1&status=open');
    expect(list.nextCursor).toBe('c1');
    request.mockResolvedValueOnce(page(['c']));
    await list.load({ jurisdiction: 'j 1', status: 'open' }, 'c1');
    expect(request).toHaveBeenLastCalledWith(
      '/api/office/things?jurisdiction=j+1&status=open&cursor=c1',
    );
    expect(list.rows.map((row) => row.id)).toEqual(['a', 'b', 'c']);
    expect(list.nextCursor).toBeUndefined();
    expect(list.loading).toBe(false);
  });

  it('starts over for a new filter and drops the answer to the older one', async () => {
    const list = new RecordList<{ id: string }>('/api/office/things', 'rows');
    const slow = later<ReturnType<typeof page>>();
    request.mockReturnValueOnce(slow.answer);
    const first = list.load({ status: 'open' });
    expect(list.loading).toBe(true);
    request.mockResolvedValueOnce(page(['new']));
    await list.load({ status: 'closed' });
    slow.give(page(['old'], 'stale'));
    expect(await first).toEqual([]);
    expect(list.rows.map((row) => row.id)).toEqual(['new']);
    expect(list.nextCursor).toBeUndefined();
    expect(list.loading).toBe(false);
  });

  it('says a failure in words and keeps the rows it has', async () => {
    const list = new RecordList<{ id: string }>('/api/office/things', 'rows');
    request.mockResolvedValueOnce(page(['a'], 'c1'));
    await list.load({});
    request.mockRejectedValueOnce(
      new RequestError(503, 'unavailable', { zh: '稍后再试', en: 'x' }),
    );
    expect(await list.load({}, 'c1')).toEqual([]);
    expect(list.error).toBe('稍后再试');
    expect(list.rows.map((row) => row.id)).toEqual(['a']);
    request.mockResolvedValueOnce(page(['b']));
    await list.load({});
    expect(list.error).toBeUndefined();
    expect(list.rows.map((row) => row.id)).toEqual(['b']);
  });
});

describe('the filter from the address', () => {
  it('keeps a jurisdiction the person has, else their first, else none', () => {
    expect(chosenJurisdiction('b', ['a', 'b'])).toBe('b');
    expect(chosenJurisdiction('z', ['a', 'b'])).toBe('a');
    expect(chosenJurisdiction(null, ['a'])).toBe('a');
    expect(chosenJurisdiction('a', [])).toBe('');
  });

  it('keeps a status the list has a tab for, else the first tab', () => {
    const tabs = ['reported', 'rectifying', 'closed'] as const;
    expect(chosenStatus('closed', tabs)).toBe('closed');
    expect(chosenStatus('deleted', tabs)).toBe('reported');
    expect(chosenStatus(null, tabs)).toBe('reported');
  });
});
