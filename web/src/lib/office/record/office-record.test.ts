import type { Component } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestError } from '#lib/api.ts';
import { ConflictError, officeRequest } from '../office-api.ts';
import { OfficeRecord, type RecordKind } from './office-record.svelte.ts';

// The real module signs out through SvelteKit's navigation; here only the requests matter.
vi.mock('../office-api.ts', async () => {
  const { RequestError: Base } = await import('#lib/api.ts');
  class FakeConflictError extends Base {
    readonly current: unknown;
    constructor(error: InstanceType<typeof Base>, current: unknown) {
      super(error.status, error.code, error.text, error.issues);
      this.current = current;
    }
  }
  return { ConflictError: FakeConflictError, officeRequest: vi.fn() };
});

interface Note {
  revision: number;
  lines: string[];
}
type Action = 'sign' | 'stamp';

const kind: RecordKind<Note, { type: Action }, string> = {
  path: (id) => `/api/office/notes/${encodeURIComponent(id)}`,
  check: (command) => ({ success: true, data: command as { type: Action } }),
  noticeId: 'note-notice',
  conflict: { title: () => '', text: () => '', unavailable: () => '', changes: () => '' },
  newEntries: (before, after) => after?.lines.slice(before?.lines.length ?? 0) ?? [],
  entryKey: (line) => line,
  Entry: (() => undefined) as unknown as Component<{ entry: string }>,
};

const request = vi.mocked(officeRequest);
const said = { zh: '中', en: 'en' };
const conflict = () => new RequestError(409, 'conflict', said);
const refused = () => new RequestError(422, 'invalid_command', said);

async function opened(note: Note = { revision: 3, lines: ['a'] }) {
  const record = new OfficeRecord<Note, Action, { type: Action }, string>(kind, 'n/1');
  request.mockResolvedValueOnce(note);
  await record.load();
  return record;
}

beforeEach(() => {
  request.mockReset();
});

describe('OfficeRecord', () => {
  it('reads the record at its kind’s path and says a failure in words', async () => {
    const record = await opened();
    expect(request).toHaveBeenCalledWith('/api/office/notes/n%2F1');
    expect(record.detail?.revision).toBe(3);
    request.mockRejectedValueOnce(refused());
    await record.load();
    expect(record.error).toBe('中');
  });

  it('gives a command on the revision shown, drops the last notice and the pinned form', async () => {
    const record = await opened();
    record.notice = 'earlier';
    record.pin('sign');
    request.mockResolvedValueOnce({ revision: 4, lines: ['a', 'b'] });
    await record.give('sign', { type: 'sign' }, 'key-1');
    expect(request).toHaveBeenLastCalledWith('/api/office/notes/n%2F1/commands', {
      body: { idempotencyKey: 'key-1', expectedRevision: 3, command: { type: 'sign' } },
    });
    expect(record.detail?.revision).toBe(4);
    expect(record.notice).toBeUndefined();
    expect(record.pinned).toEqual([]);
  });

  it('on a conflict with the record attached, pins the form and shows the record as it is', async () => {
    const record = await opened();
    const now = { revision: 5, lines: ['a', 'b', 'c'] };
    request.mockRejectedValueOnce(new ConflictError(conflict(), now));
    await expect(record.give('sign', { type: 'sign' }, 'k')).rejects.toThrow(RequestError);
    expect(record.pinned).toEqual(['sign']);
    expect(record.detail).toBe(now);
  });

  it('on a conflict without the record, pins the form and reads the record again', async () => {
    const record = await opened();
    request.mockRejectedValueOnce(conflict());
    request.mockResolvedValueOnce({ revision: 6, lines: ['a', 'x'] });
    await expect(record.give('stamp', { type: 'stamp' }, 'k')).rejects.toThrow(RequestError);
    expect(request).toHaveBeenLastCalledWith('/api/office/notes/n%2F1');
    expect(record.pinned).toEqual(['stamp']);
    expect(record.detail?.revision).toBe(6);
  });

  it('keeps the record and pins nothing when a command is refused for what it says', async () => {
    const record = await opened();
    const shown = record.detail;
    request.mockRejectedValueOnce(refused());
    await expect(record.give('sign', { type: 'sign' }, 'k')).rejects.toThrow(RequestError);
    expect(record.pinned).toEqual([]);
    expect(record.detail).toBe(shown);
  });

  it('refuses to give a command before the record is read', async () => {
    const record = new OfficeRecord<Note, Action, { type: Action }, string>(kind, 'n');
    await expect(record.give('sign', { type: 'sign' }, 'k')).rejects.toThrow('no record loaded');
    expect(request).not.toHaveBeenCalled();
  });

  it('shows the forms valid now, then each pinned one not among them, once', async () => {
    const record = await opened();
    record.pin('stamp');
    record.pin('stamp');
    expect(record.shown(['sign'])).toEqual(['sign', 'stamp']);
    expect(record.shown(['stamp', 'sign'])).toEqual(['stamp', 'sign']);
    record.unpin('stamp');
    expect(record.shown([])).toEqual([]);
  });
});
