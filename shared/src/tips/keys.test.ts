import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hmac, receiptFor, tipContentDigest, tipIdFor } from './keys.ts';

describe('keyed hashes', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are HMAC-SHA-256 of the message under the key', async () => {
    const key = new Uint8Array(32).fill(7);
    const expected = createHmac('sha256', key).update('receipt:abc').digest();
    expect(Buffer.from(await hmac(key, 'receipt:abc'))).toEqual(expected);
  });

  it("prepare a key once for a tip's three hashes and every tip after (issue 13)", async () => {
    // Node's own HMAC, synchronous, with the key prepared once (a KeyObject).
    const node = process.getBuiltinModule('node:crypto');
    const prepare = vi.spyOn(node, 'createSecretKey');
    const webSign = vi.spyOn(crypto.subtle, 'sign');
    const key = new Uint8Array(32).fill(9);
    for (const idempotencyKey of ['one', 'two']) {
      const receipt = await receiptFor(key, idempotencyKey);
      await tipIdFor(key, receipt);
      await tipContentDigest(key, '{}');
    }
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(webSign).not.toHaveBeenCalled();
    // Another key is its own: nothing signs with the wrong one.
    const other = new Uint8Array(32).fill(10);
    expect(await hmac(other, 'x')).not.toEqual(await hmac(key, 'x'));
    expect(Buffer.from(await hmac(other, 'x'))).toEqual(
      createHmac('sha256', other).update('x').digest(),
    );
  });

  it('are the same through WebCrypto where there is no Node (a browser), the key imported once', async () => {
    const key = new Uint8Array(32).fill(11);
    const receipt = await receiptFor(key, 'one');
    const expected = [receipt, await tipIdFor(key, receipt), await tipContentDigest(key, '{}')];
    vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
    vi.resetModules();
    try {
      const web = await import('./keys.ts');
      const importKey = vi.spyOn(crypto.subtle, 'importKey');
      expect([
        await web.receiptFor(key, 'one'),
        await web.tipIdFor(key, receipt),
        await web.tipContentDigest(key, '{}'),
      ]).toEqual(expected);
      expect(importKey).toHaveBeenCalledTimes(1);
    } finally {
      // The unit files share their modules (vitest.config.ts): the next import of these
      // must find Node's crypto again, not the WebCrypto copy made here.
      vi.restoreAllMocks();
      vi.resetModules();
    }
  });
});
