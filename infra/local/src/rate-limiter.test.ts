import { describe, expect, it } from 'vitest';
import { AnonymousRateLimiter } from './rate-limiter.ts';

describe('AnonymousRateLimiter', () => {
  it('says when its window frees up, in whole seconds within the window', () => {
    let now = 1_000_000;
    const limiter = new AnonymousRateLimiter({ perWindow: 2, windowMs: 60_000, now: () => now });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: true });
    now += 12_500;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 48 });
    expect(limiter.take('b')).toEqual({ allowed: true });
    now += 47_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500;
    expect(limiter.take('a')).toEqual({ allowed: true });
  });
});
