import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCloud, temporaryDataDirectory } from '../support/embedded-cloud.ts';
import { postJson, validTip } from '../support/tips.ts';

// `npm start`'s program as a user runs it, with everything it prints captured: nothing a
// public request carries about its sender may appear in its output (its logs).
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
beforeAll(async () => {
  data = await temporaryDataDirectory();
});
afterAll(async () => {
  await data.remove();
});

describe('logs of public requests', () => {
  it('hold no client address or user agent, even when a request fails', async () => {
    const cloud = await spawnCloud(data.path);
    try {
      const agent = 'Mozilla/5.0 (LogProbePhone) UniqueLogAgent';
      const address = '203.0.113.199';
      const headers = {
        'user-agent': agent,
        'x-forwarded-for': address,
        forwarded: `for=${address}`,
      };
      const created = await postJson(`${cloud.url}/api/tips`, validTip(), headers);
      expect(created.status).toBe(201);
      await postJson(`${cloud.url}/api/tips/lookup`, { receipt: created.body.receipt }, headers);
      await postJson(`${cloud.url}/api/tips`, '{"broken', headers);
      await postJson(`${cloud.url}/api/tips/lookup`, { receipt: '000000000000000000' }, headers);
      await fetch(`${cloud.url}/nowhere`, { headers });
      const output = cloud.output();
      expect(output).toContain('READY'); // the probe reads the real output
      for (const secret of ['UniqueLogAgent', address, created.body.receipt]) {
        expect(output).not.toContain(secret);
      }
    } finally {
      cloud.child.kill('SIGINT');
      await cloud.exited;
    }
  });
});
