/**
 * Joint tipsters share one reward (RULES.md, "Tips and rewards": "joint tipsters share one
 * reward"). The rule names no proportions, so the shares are equal; money is integer fen,
 * so the fen that do not divide evenly go one each to the first shares, in the order the
 * tips were received: the shares always sum to the reward exactly and differ by 1 fen at
 * most, and the same reward and number of tipsters always split the same way. Pure.
 */
export function splitReward(totalFen: number, shares: number): number[] {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0) {
    throw new RangeError(`totalFen must be a whole, non-negative number (got ${totalFen})`);
  }
  if (!Number.isSafeInteger(shares) || shares < 1) {
    throw new RangeError(`shares must be a whole number, 1 or more (got ${shares})`);
  }
  const base = Math.floor(totalFen / shares);
  const remainder = totalFen - base * shares;
  return Array.from({ length: shares }, (_, index) => base + (index < remainder ? 1 : 0));
}
