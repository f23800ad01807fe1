import { beforeEach, describe, expect, it, vi } from 'vitest';
import { officeRequest } from '#lib/office/office-api.ts';
import { TipInbox } from './tip-inbox.svelte.ts';

// The real module signs out through SvelteKit's navigation; here only the requests matter.
vi.mock('#lib/office/office-api.ts', () => ({ officeRequest: vi.fn() }));

const request = vi.mocked(officeRequest);
const summary = (tipId: string) => ({ tipId, excerpt: `tip ${tipId}` });

beforeEach(() => {
  request.mockReset();
});

describe('TipInbox', () => {
  it('reads each listed tip’s record beside the list, and forgets them for a new list', async () => {
    const inbox = new TipInbox();
    request.mockImplementation(async (path: string) => {
      if (path.startsWith('/api/office/tips?')) return { tips: [summary('t1'), summary('t2')] };
      const tipId = decodeURIComponent(path.split('/').at(-1) ?? '');
      if (tipId === 't2') throw new Error('gone');
      return { tipId, channel: 'phone', description: `whole ${tipId}` };
    });
    await inbox.load({ jurisdiction: 'j', status: 'received' });
    await vi.waitFor(() => expect(request).toHaveBeenCalledWith('/api/office/tips/t2'));
    await vi.waitFor(() => expect(inbox.details.get('t1')?.channel).toBe('phone'));
    expect(inbox.details.has('t2')).toBe(false);

    request.mockImplementation(async () => new Promise(() => {}));
    void inbox.load({ jurisdiction: 'j', status: 'accepted' });
    expect(inbox.rows).toEqual([]);
    expect(inbox.details.size).toBe(0);
  });
});
