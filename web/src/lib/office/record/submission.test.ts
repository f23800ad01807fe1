import { describe, expect, it, vi } from 'vitest';
import { RequestError } from '#lib/api.ts';
import { FormErrors } from '../form-errors.svelte.ts';
import { Submission, type SubmitSteps } from './submission.svelte.ts';

interface Typed {
  idempotencyKey: string;
  place: string;
}

const said = (zh: string) => ({ zh, en: `${zh} (en)` });

/** A form with one field, `place`; the steps record the keys it drafted under. */
function form(place: string, send: (data: Typed) => Promise<string>) {
  const errors = new FormErrors('new-thing', { place: '地点' });
  const keys: string[] = [];
  const done = vi.fn();
  const steps: SubmitSteps<Typed, string> = {
    draft: (idempotencyKey) => {
      keys.push(idempotencyKey);
      return { idempotencyKey, place };
    },
    check: (typed) =>
      (typed as Typed).place
        ? { success: true, data: typed as Typed }
        : { success: false, issues: [{ path: 'place', message: said('请填写地点') }] },
    send,
    done,
  };
  return { errors, keys, done, steps, submission: new Submission(errors) };
}

describe('Submission', () => {
  it('sends nothing while the schema refuses what is typed, under one key', async () => {
    const send = vi.fn(async () => 'id');
    const { errors, keys, steps, submission } = form('', send);
    expect(await submission.submit(steps)).toBe('invalid');
    expect(await submission.submit(steps)).toBe('invalid');
    expect(send).not.toHaveBeenCalled();
    expect(errors.message('place')).toBe('请填写地点');
    expect(keys[0]).toBe(keys[1]);
  });

  it('sends what was checked, hands on the answer and starts a new key after', async () => {
    const send = vi.fn(async () => 'hz-1');
    const { errors, keys, done, steps, submission } = form('东门', send);
    expect(await submission.submit(steps)).toBe('sent');
    expect(send).toHaveBeenCalledWith({ idempotencyKey: keys[0], place: '东门' });
    expect(done).toHaveBeenCalledWith('hz-1', { idempotencyKey: keys[0], place: '东门' });
    expect(errors.empty).toBe(true);
    await submission.submit(steps);
    expect(keys[1]).not.toBe(keys[0]);
    expect(submission.busy).toBe(false);
  });

  it('keeps the key after a failure that may pass, drops it after a refusal', async () => {
    const send = vi.fn<(data: Typed) => Promise<string>>();
    const { errors, keys, steps, submission } = form('东门', send);
    // Offline: the failure is said at once rather than tried again after a wait.
    vi.stubGlobal('navigator', { onLine: false });
    send.mockRejectedValueOnce(new RequestError(503, 'unavailable', said('稍后再试')));
    expect(await submission.submit(steps)).toBe('failed');
    vi.unstubAllGlobals();
    expect(errors.form).toBe('稍后再试');
    send.mockRejectedValueOnce(
      new RequestError(422, 'invalid', said('请检查'), [
        { path: 'place', message: said('地点太长') },
      ]),
    );
    expect(await submission.submit(steps)).toBe('failed');
    expect(keys[1]).toBe(keys[0]);
    expect(errors.message('place')).toBe('地点太长');
    expect(errors.form).toBe('请检查');
    send.mockResolvedValueOnce('hz-2');
    await submission.submit(steps);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it('lets a refusal that still leads somewhere end the submission', async () => {
    const { errors, keys, steps, submission } = form('东门', async () => {
      throw new RequestError(409, 'tip_already_recorded', said('已登记'));
    });
    const settled = vi.fn(async () => true);
    expect(await submission.submit({ ...steps, settled })).toBe('sent');
    expect(errors.form).toBeUndefined();
    await submission.submit({ ...steps, settled });
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('sends once while an answer is awaited', async () => {
    let answer!: (id: string) => void;
    const send = vi.fn(() => new Promise<string>((resolve) => (answer = resolve)));
    const { steps, submission } = form('东门', send);
    const first = submission.submit(steps);
    expect(submission.busy).toBe(true);
    expect(await submission.submit(steps)).toBe('busy');
    answer('hz-3');
    expect(await first).toBe('sent');
    expect(send).toHaveBeenCalledTimes(1);
  });
});
