import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startEmbeddedCloud } from '#local/embedded-cloud.ts';
import { ManualClock } from '../support/clock.ts';
import { fixtureSite, temporaryDataDirectory } from '../support/embedded-cloud.ts';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Asks until the port listens (connection refused before), then returns the answer. Bounded
 * by time, not by a number of attempts: how soon the stack listens depends on how busy the
 * machine is (its modules load first), not on anything this test checks.
 */
async function firstAnswer(url: string): Promise<Response> {
  const giveUpAt = performance.now() + 60_000;
  while (performance.now() < giveUpAt) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  throw new Error(`${url} never answered`);
}

describe('a request that arrives while the stack starts', () => {
  it('is answered 503 with Retry-After, in both languages, then served once ready', async () => {
    const data = await temporaryDataDirectory();
    const port = await freePort();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const starting = startEmbeddedCloud({
      dataDirectory: data.path,
      port,
      webRoot: fixtureSite,
      clock: new ManualClock('2026-11-22T08:00:00.000Z'),
      beforeReady: () => gate,
    });
    try {
      const early = await firstAnswer(`http://127.0.0.1:${port}/api/health`);
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      const body = (await early.json()) as { error: { code: string; message: { zh: string } } };
      expect(body.error.code).toBe('service_starting');
      expect(body.error.message.zh).toContain('正在启动');
      release();
      const cloud = await starting;
      const ready = await fetch(`${cloud.url}/api/health`);
      expect(ready.status).toBe(200);
      await cloud.stop();
    } finally {
      release();
      await data.remove();
    }
  });
});
