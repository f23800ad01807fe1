import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstStart } from '../../scripts/first-start.ts';

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
});
