/**
 * Caps online guessing of receipts across the whole deployment, keeping no identity. What
 * a guesser learns from is an answer that tells a right receipt from a wrong one (the tip,
 * or "not found"); so every look-up first asks whether this minute may still answer, and
 * past the budget every look-up, right or wrong, gets the same 429 with a Retry-After and a
 * proof-of-work puzzle (shared/src/api/proof-of-work.ts).
 *
 * Two budgets of failed look-ups a minute: `open` for look-ups as they come, and `proven`
 * for look-ups that carry a solved puzzle, spent once each. Guessers who keep the open
 * budget used up from any number of addresses learn nothing more, while the holder of a
 * real receipt solves one puzzle (seconds) and is answered from the proven budget: a hit
 * does not use it up, so only guessers who pay a puzzle per guess can, and they still get
 * no more than the cap. Confidentiality comes first: whoever pays to keep both budgets used
 * up delays follow-ups by the minute, and never exposes a tip; reporting is not affected.
 *
 * With 10^16 receipts and 30 + 30 answered failures a minute, a year of guessing finds one
 * of a million live tips with probability about 60 × 525,600 × 10^6 / 10^16 ≈ 0.32 %.
 */
export type LookupTier = 'open' | 'proven';

export const openFailuresPerMinute = 30;
export const provenFailuresPerMinute = 30;

export interface LookupStanding {
  /** Look-ups without a puzzle may still be answered this minute. */
  open: boolean;
  /** Look-ups with a solved puzzle may still be answered this minute. */
  proven: boolean;
  /** Whole seconds (at least 1) until the minute's counts are dropped: the Retry-After. */
  retryAfterSeconds: number;
}

export interface GuessingGuard {
  /** This minute's standing, read without counting anything. */
  standing(now: Date): Promise<LookupStanding>;
  /**
   * Counts a failed look-up against its tier's budget. overBudget: the count went past it,
   * so this look-up must be answered like one refused before it was tried.
   */
  recordFailure(
    now: Date,
    tier: LookupTier,
  ): Promise<{ overBudget: boolean; retryAfterSeconds: number }>;
  /** Spends a solved puzzle: true the first time, false ever after (until it expires). */
  spendProof(id: string, expiresAt: Date): Promise<boolean>;
}
