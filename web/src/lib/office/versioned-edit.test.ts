import { describe, expect, it } from 'vitest';
import { ConflictError, RequestError } from '#lib/api.ts';
import { cstMinute, VersionedEdit } from './versioned-edit.svelte.ts';

const refused = (issues: RequestError['issues']) =>
  new RequestError(400, 'invalid_request', { zh: '请求无效', en: 'Invalid' }, issues);

describe('a versioned edit', () => {
  it('shows what was saved, and says so', async () => {
    const edit = new VersionedEdit<'limits' | 'ladder'>('policy');
    const shown: number[] = [];
    const outcome = await edit.save(
      'ladder',
      async () => 3,
      (version) => {
        shown.push(version);
      },
    );
    expect(outcome).toBe('saved');
    expect(shown).toEqual([3]);
    expect(edit.notice).toEqual({ form: 'ladder', kind: 'saved' });
    expect(edit.saving).toBe(false);
  });

  it('shows the record as it is now on a conflict', async () => {
    const edit = new VersionedEdit('calendar');
    const shown: string[] = [];
    const conflict = new ConflictError(
      new RequestError(409, 'conflict', { zh: '冲突', en: 'Conflict' }),
      'theirs',
    );
    const outcome = await edit.save(
      'form',
      async () => {
        throw conflict;
      },
      (view: string) => {
        shown.push(view);
      },
    );
    expect(outcome).toBe('conflict');
    expect(shown).toEqual(['theirs']);
  });

  it('says what the page refused before sending as a refusal, after a save said "saved"', async () => {
    const edit = new VersionedEdit('contacts');
    await edit.save(
      'form',
      async () => 1,
      () => {},
    );
    const outcome = edit.refuse('form', [
      {
        path: 'contacts.leader_in_charge.0.phone',
        message: { zh: '须为手机号。', en: 'A mobile.' },
      },
    ]);
    expect(outcome).toBe('invalid');
    expect(edit.notice).toEqual({ form: 'form', kind: 'invalid' });
    expect(edit.issues['contacts.leader_in_charge.0.phone']?.en).toBe('A mobile.');
    expect(edit.describedBy('contacts.leader_in_charge.0.phone')).toBe(
      'contacts-contacts-leader_in_charge-0-phone-error',
    );
  });

  it('keeps the issues by field, beside their fields, and the others apart', async () => {
    const edit = new VersionedEdit('reward');
    const outcome = await edit.save(
      'form',
      async () => {
        throw refused([
          { path: 'minYuan', message: { zh: '不能小于 0。', en: 'At least 0.' } },
          { path: '', message: { zh: '整体无效。', en: 'Invalid as a whole.' } },
        ]);
      },
      () => {},
    );
    expect(outcome).toBe('invalid');
    expect(edit.fieldId('share.minYuan')).toBe('reward-share-minYuan');
    expect(edit.describedBy('minYuan', 'hint-id')).toBe('hint-id reward-minYuan-error');
    expect(edit.describedBy('maxYuan')).toBeUndefined();
    expect(edit.errorOf('minYuan')).toMatch(/0/);
    expect(edit.unplacedIssues((id) => id === 'reward-minYuan')).toHaveLength(1);
  });

  it('sends one save at a time, and says a failure that is not the input', async () => {
    const edit = new VersionedEdit('policy');
    let release = () => {};
    const first = edit.save(
      'form',
      () => new Promise<number>((resolve) => (release = () => resolve(1))),
      () => {},
    );
    expect(
      await edit.save(
        'form',
        async () => 2,
        () => {},
      ),
    ).toBeUndefined();
    release();
    expect(await first).toBe('saved');
    await edit.save(
      'form',
      async () => {
        throw new RequestError(500, 'internal', { zh: '服务器出错', en: 'Server error' });
      },
      () => {},
    );
    expect(edit.failure).toMatch(/服务器出错|Server error/);
  });

  it('writes instants as CST wall time', () => {
    expect(cstMinute('2026-12-03T14:30:00.000Z')).toBe('2026-12-03 22:30');
  });
});
