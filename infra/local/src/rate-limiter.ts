import { createHmac, randomBytes } from 'node:crypto';

/**
 * Per-client rate limits that keep no identity: a client is known only by a keyed hash of
 * its address, under a key that lives in this process's memory and dies with it; counts
 * are kept in memory for one window and never written or logged. (On AWS the same job is
 * done by API Gateway throttling and a WAF rate-based rule in front.)
 */
export class AnonymousRateLimiter {
  private readonly key = randomBytes(32);
  private readonly perWindow: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(options: { perWindow: number; windowMs: number; now?: () => number }) {
    this.perWindow = options.perWindow;
    this.windowMs = options.windowMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * Counts a request of the client: allowed while it is within its budget for this window;
   * past it, retryAfterSeconds says when the window frees up (whole seconds, rounded up,
   * at least 1 and at most the window).
   */
  take(clientAddress: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs || now < this.windowStart) {
      this.windowStart = now;
      this.counts = new Map();
    }
    const client = createHmac('sha256', this.key).update(clientAddress).digest('base64url');
    const count = (this.counts.get(client) ?? 0) + 1;
    this.counts.set(client, count);
    if (count <= this.perWindow) return { allowed: true };
    const left = this.windowStart + this.windowMs - now;
    const windowSeconds = Math.max(1, Math.ceil(this.windowMs / 1000));
    return {
      allowed: false,
      retryAfterSeconds: Math.min(windowSeconds, Math.max(1, Math.ceil(left / 1000))),
    };
  }
}
