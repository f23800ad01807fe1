/**
 * Bounds online guessing of receipts across the whole deployment, keeping no identity:
 * failed look-ups are counted per minute; past the budget, further failures are answered
 * 429 (a correct receipt still works). With 10^16 receipts and a budget of 30 failures a
 * minute, a year of non-stop guessing finds one of a million live tips with probability
 * about 30 × 525,600 × 10^6 / 10^16 ≈ 0.16 %, before the per-client limits in front.
 */
export interface GuessingGuard {
  /**
   * Counts a failed look-up. overBudget: this minute's failures are over the budget;
   * retryAfterSeconds: whole seconds (at least 1) until the minute's count is dropped,
   * which is when a client refused now may try again (the Retry-After of the 429).
   */
  recordFailure(now: Date): Promise<{ overBudget: boolean; retryAfterSeconds: number }>;
}
