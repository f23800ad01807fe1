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

  it("import a key once for a tip's three hashes and every tip after (issue 13)", async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const key = new Uint8Array(32).fill(9);
    for (const idempotencyKey of ['one', 'two']) {
      const receipt = await receiptFor(key, idempotencyKey);
      await tipIdFor(key, receipt);
      await tipContentDigest(key, '{}');
    }
    expect(importKey).toHaveBeenCalledTimes(1);
    // Another key is its own: nothing signs with the wrong one.
    const other = new Uint8Array(32).fill(10);
    expect(await hmac(other, 'x')).not.toEqual(await hmac(key, 'x'));
    expect(Buffer.from(await hmac(other, 'x'))).toEqual(
      createHmac('sha256', other).update('x').digest(),
    );
  });
});
