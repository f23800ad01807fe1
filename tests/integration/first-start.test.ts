import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstStart } from '../../scripts/first-start.ts';

const buildScript = new URL('../../scripts/build-web-if-stale.mjs', import.meta.url).href;

// The first `npm start` of a fresh checkout (a copy of this working tree without web/build,
// the compiled messages or .data): a screenful of output, and a failed build in full. How
// long it takes is the bench's (`firstStart`): this machine is shared while tests run.
describe('the first npm start', () => {
  it('builds the web app and starts with a screenful of output: progress, then the URLs', async () => {
    const start = await firstStart({ timeoutMs: 80_000 });

    expect(start.healthSeconds, start.output).toBeDefined();
    expect(start.lines, start.output).toBeLessThanOrEqual(25);
    expect(start.output).toMatch(/^Building the web app/m);
    expect(start.output).toMatch(/^ {2}built in [\d.]+ s$/m);
    expect(start.output).toMatch(/^READY http:\/\/127\.0\.0\.1:\d+$/m);
    // The build's own lines are in its log, not on the screen.
    expect(start.buildLog).toMatch(/modules transformed/);
    expect(start.output).not.toMatch(/modules transformed/);
    // The office console is built for the browser only (office/client-only-build.ts): in the
    // server build its pages and layouts are placeholders of a few hundred bytes.
    const officeOnServer = [
      ...(start.buildLog ?? '').matchAll(
        /output\/server\/entries\/pages\/office\/\S*\.svelte\.js +([\d.]+) kB/g,
      ),
    ].map((match) => Number(match[1]));
    expect(officeOnServer.length, start.buildLog).toBeGreaterThan(10);
    expect(Math.max(...officeOnServer), start.buildLog).toBeLessThan(1);
    // The functions' INFO logs are for CloudWatch: on the console only warnings and errors.
    expect(start.output).not.toMatch(/"level":"INFO"/);
  }, 90_000);

  it('shows the whole build log when the build fails, and does not start', async () => {
    const start = await firstStart({
      timeoutMs: 80_000,
      prepare: (copy) => appendFile(join(copy, 'web/src/routes/+page.svelte'), '\n{#if broken\n'),
    });

    expect(start.exitCode, start.output).toBe(1);
    expect(start.healthSeconds).toBeUndefined();
    expect(start.output).not.toMatch(/READY/);
    // The stack started beside the build; it never answered, and stopped without more words.
    expect(start.output).not.toMatch(/could not start/);
    expect(start.buildLog).toMatch(/\+page\.svelte/);
    expect(start.output).toMatch(/The web app's build failed/);
    for (const line of start.buildLog?.split('\n') ?? []) expect(start.output).toContain(line);
  }, 90_000);

  it('lets the build have the cores while it runs: the stack beside it yields, then stops yielding', () => {
    // In a process of its own. On Linux a priority is a thread's: libuv's threads, started
    // while it is lowered (by the file read), must get theirs back too.
    const script = `
      import { existsSync, readdirSync, readFileSync } from 'node:fs';
      import { readFile } from 'node:fs/promises';
      import { getPriority } from 'node:os';
      import { lowerPriorityWhile } from ${JSON.stringify(buildScript)};
      const threads = () =>
        existsSync('/proc/self/task')
          ? readdirSync('/proc/self/task').map((id) =>
              Number(readFileSync('/proc/self/task/' + id + '/stat', 'utf8').split(') ')[1].split(' ')[16]))
          : [];
      const before = getPriority();
      let finish;
      const during = lowerPriorityWhile(new Promise((resolve) => { finish = resolve; }));
      await readFile(${JSON.stringify(fileURLToPath(import.meta.url))});
      const seen = { before, during, now: getPriority(), threadsDuring: threads() };
      finish();
      await new Promise((resolve) => setTimeout(resolve, 0));
      console.log(JSON.stringify({ ...seen, after: getPriority(), threadsAfter: threads() }));`;
    const seen = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    ) as {
      before: number;
      during: number;
      now: number;
      after: number;
      threadsDuring: number[];
      threadsAfter: number[];
    };
    expect(seen.during).toBe(Math.min(seen.before + 10, 19));
    expect(seen.now).toBe(seen.during);
    // Raising a priority again is a privilege on Linux (root has it; CI runs as root).
    if (process.getuid?.() !== 0) {
      expect(seen.after).toBeGreaterThanOrEqual(seen.before);
      return;
    }
    expect(seen.after).toBe(seen.before);
    if (process.platform === 'linux') {
      // Threads started while lowered (libuv's) were lowered too, and are back.
      expect(seen.threadsDuring.filter((nice) => nice === seen.during).length).toBeGreaterThan(1);
      expect(seen.threadsAfter.length).toBeGreaterThan(1);
      expect(new Set(seen.threadsAfter)).toEqual(new Set([seen.before]));
    }
  });
});
