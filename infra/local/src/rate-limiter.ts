import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { checkProof, issueChallenge } from '@qingling/shared/api/proof-of-work.ts';

/**
 * Per-client rate limits that keep no identity: a client is known only by a keyed hash of
 * its address, under a key that lives in this process's memory and dies with it; counts
 * are kept in memory for one window and never written or logged. (On AWS the same job is
 * done by API Gateway throttling and a WAF rate-based rule in front.)
 */
export class AnonymousRateLimiter {
  /** Prepared once: a raw key was prepared again for every request's hash. */
  private readonly key = createSecretKey(randomBytes(32));
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

/**
 * What the per-address limit degrades to: past it, a request that carries a solved puzzle
 * (shared/src/api/proof-of-work.ts) is let through, each puzzle once; others get a 429 with
 * a fresh puzzle. So 30 people behind one NAT address each pay seconds of work and report,
 * whatever else shares their address, and a flood from it pays the same for every request.
 * Spent puzzles are kept in memory until they expire (the handlers spend them again, in
 * the record, for the deployment-wide look-up cap: the two ledgers are separate).
 */
export class ProofGate {
  private readonly key: Uint8Array<ArrayBuffer>;
  private readonly bits: number;
  private readonly now: () => Date;
  private spent = new Map<string, number>();

  constructor(options: { key: Uint8Array<ArrayBuffer>; bits: number; now: () => Date }) {
    this.key = options.key;
    this.bits = options.bits;
    this.now = options.now;
  }

  /** A puzzle to hand out with a refusal. */
  challenge(): Promise<string> {
    return issueChallenge(this.key, this.now(), this.bits);
  }

  /** True once for each good solved puzzle. */
  async admit(proof: string | undefined): Promise<boolean> {
    if (!proof) return false;
    const now = this.now();
    const checked = await checkProof(this.key, proof, now, this.bits);
    if (!checked) return false;
    for (const [id, expiresAt] of this.spent) if (expiresAt < now.getTime()) this.spent.delete(id);
    if (this.spent.has(checked.id)) return false;
    this.spent.set(checked.id, checked.expiresAt.getTime());
    return true;
  }
}
