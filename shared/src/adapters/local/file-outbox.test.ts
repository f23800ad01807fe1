import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactDirectory } from '../../notifications/directory.ts';
import type { Notification } from '../../ports/outbox.ts';
import { FileOutbox } from './file-outbox.ts';

const clock = { now: () => new Date('2026-12-01T02:00:00.000Z') };

const message = (key: string): Notification => ({
  key,
  channel: 'sms',
  to: 'department_head@cq-gecheng',
  subject: { zh: '函告：仓库', en: 'Notice letter: warehouse' },
  body: { zh: '请按要求处理。', en: 'Please rectify.' },
});

let directory: string;
let path: string;
const lines = async () => (await readFile(path, 'utf8')).split('\n').filter(Boolean);

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'qingling-outbox-'));
  path = join(directory, 'outbox.jsonl');
});
afterEach(() => rm(directory, { recursive: true, force: true }));

describe('FileOutbox', () => {
  it('writes a key once: sending it again writes nothing', async () => {
    const outbox = new FileOutbox(path, clock);
    await outbox.send(message('H1#1#reminder#department_head'));
    await outbox.send(message('H1#1#reminder#department_head'));
    await outbox.send(message('H1#1#notice_letter#department_head'));
    expect((await outbox.list()).map((entry) => entry.key)).toEqual([
      'H1#1#reminder#department_head',
      'H1#1#notice_letter#department_head',
    ]);
  });

  it('knows the keys already in the file after a restart', async () => {
    await new FileOutbox(path, clock).send(message('H1#1#reminder#department_head'));
    const restarted = new FileOutbox(path, clock);
    await restarted.send(message('H1#1#reminder#department_head'));
    expect(await lines()).toHaveLength(1);
  });

  it('writes one of two concurrent sends of a key', async () => {
    const outbox = new FileOutbox(path, clock);
    await Promise.all([
      outbox.send(message('H1#1#summons#leader_in_charge')),
      outbox.send(message('H1#1#summons#leader_in_charge')),
    ]);
    expect(await lines()).toHaveLength(1);
  });

  it('lets a send that failed be sent again', async () => {
    let reachable = false;
    const flaky: ContactDirectory = {
      resolve: async () => {
        if (!reachable) throw new Error('directory unavailable');
        return [{ kind: 'sms', phone: '13800138000' }];
      },
    };
    const outbox = new FileOutbox(path, clock, flaky);
    await expect(outbox.send(message('H1#1#reminder#department_head'))).rejects.toThrow(
      /unavailable/,
    );
    reachable = true;
    await outbox.send(message('H1#1#reminder#department_head'));
    await outbox.send(message('H1#1#reminder#department_head'));
    expect(await outbox.list()).toEqual([
      expect.objectContaining({
        key: 'H1#1#reminder#department_head',
        contacts: [{ kind: 'sms', phone: '13800138000' }],
      }),
    ]);
  });

  it('after a kill -9 tore the last line, sends its key again and keeps the next entry whole', async () => {
    const whole = JSON.stringify({ ...message('H1#1#reminder#department_head'), sentAt: 'x' });
    const torn = JSON.stringify({ ...message('H1#1#notice_letter#department_head') }).slice(0, 40);
    await writeFile(path, `${whole}\n${torn}`);
    const outbox = new FileOutbox(path, clock);
    await outbox.send(message('H1#1#notice_letter#department_head'));
    await outbox.send(message('H1#1#reminder#department_head'));
    expect((await outbox.list()).map((entry) => entry.key)).toEqual([
      'H1#1#reminder#department_head',
      'H1#1#notice_letter#department_head',
    ]);
  });

  it('dedupes among 100,000 entries, reading the file once', async () => {
    const many = Array.from({ length: 100_000 }, (_, index) =>
      JSON.stringify({ ...message(`H${index}#1#reminder#department_head`), sentAt: 'x' }),
    );
    await writeFile(path, `${many.join('\n')}\n`);
    const outbox = new FileOutbox(path, clock);
    await outbox.send(message('H99999#1#reminder#department_head'));
    await outbox.send(message('H0#1#reminder#department_head'));
    // Appended behind the outbox's back: it is not read again, so the key is not known.
    await appendFile(
      path,
      `${JSON.stringify({ ...message('elsewhere#1#reminder#department_head'), sentAt: 'x' })}\n`,
    );
    await outbox.send(message('elsewhere#1#reminder#department_head'));
    await outbox.send(message('H100000#1#reminder#department_head'));
    const keys = (await outbox.list()).map((entry) => entry.key);
    expect(keys).toHaveLength(100_003);
    expect(keys.slice(-3)).toEqual([
      'elsewhere#1#reminder#department_head',
      'elsewhere#1#reminder#department_head',
      'H100000#1#reminder#department_head',
    ]);
  });
});
