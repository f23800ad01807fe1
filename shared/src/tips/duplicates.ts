/**
 * Likely duplicates among tips a person is looking at: the same enterprise name, the same
 * address, or very similar text. A cheap similarity: the Jaccard index of the character
 * bigrams of the two descriptions, after folding away width, case, spaces and punctuation.
 */
export interface DuplicateCandidate {
  tipId: string;
  enterprise?: string | undefined;
  address: string;
  /** The description, or its excerpt when the whole text is not at hand. */
  text: string;
}

export type DuplicateReason = 'enterprise' | 'address' | 'text';

export interface PossibleDuplicate {
  tipId: string;
  reasons: DuplicateReason[];
}

const similarTextThreshold = 0.5;

/** NFKC (full-width → half-width), lower case, letters and digits only. */
export const folded = (value: string | undefined): string =>
  (value ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

function bigrams(value: string): Set<string> {
  const pairs = new Set<string>();
  const characters = [...folded(value)];
  for (let index = 0; index + 1 < characters.length; index++) {
    pairs.add(`${characters[index]}${characters[index + 1]}`);
  }
  return pairs;
}

/** A candidate folded once: its names compared as they are, its text as bigrams. */
interface Features {
  tipId: string;
  enterprise: string;
  address: string;
  bigrams: Set<string>;
}

const featuresOf = (candidate: DuplicateCandidate): Features => ({
  tipId: candidate.tipId,
  enterprise: folded(candidate.enterprise),
  address: folded(candidate.address),
  bigrams: bigrams(candidate.text),
});

function jaccard(left: Set<string>, right: Set<string>): number {
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const pair of left) if (right.has(pair)) shared += 1;
  return shared / (left.size + right.size - shared);
}

function reasonsAlike(a: Features, b: Features): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (a.enterprise && a.enterprise === b.enterprise) reasons.push('enterprise');
  if (a.address && a.address === b.address) reasons.push('address');
  if (jaccard(a.bigrams, b.bigrams) >= similarTextThreshold) reasons.push('text');
  return reasons;
}

/** For each tip, the others in the list that may be the same matter (never itself). */
export function duplicatesAmong(
  candidates: readonly DuplicateCandidate[],
): Map<string, PossibleDuplicate[]> {
  const features = candidates.map(featuresOf);
  const found = new Map<string, PossibleDuplicate[]>(
    features.map((feature) => [feature.tipId, []]),
  );
  features.forEach((a, index) => {
    for (const b of features.slice(index + 1)) {
      if (a.tipId === b.tipId) continue;
      const reasons = reasonsAlike(a, b);
      if (reasons.length === 0) continue;
      found.get(a.tipId)?.push({ tipId: b.tipId, reasons });
      found.get(b.tipId)?.push({ tipId: a.tipId, reasons });
    }
  });
  return found;
}

/**
 * The keys a tip is found by among all tips of its jurisdiction (issue 14): its folded
 * enterprise name (gsi4) and its folded address (gsi5), each a partition of its own, newest
 * first. Only exact matches after folding are found this way; similar text is judged
 * among what they find. The attributes ride on the tip's state item, which every write
 * puts anyway: no call is added to the intake (issue 13), only the index entries.
 */
export const tipPlacePrefix = 'TIPPLACE#';

export function tipPlacePartitions(tip: {
  jurisdiction: string;
  enterprise?: string | undefined;
  address: string;
}): { gsi4pk?: string; gsi5pk?: string } {
  const enterprise = folded(tip.enterprise);
  const address = folded(tip.address);
  return {
    ...(enterprise ? { gsi4pk: `${tipPlacePrefix}${tip.jurisdiction}#E#${enterprise}` } : {}),
    ...(address ? { gsi5pk: `${tipPlacePrefix}${tip.jurisdiction}#A#${address}` } : {}),
  };
}

/** The tip's place index attributes (tip-projection.ts): its partitions, newest first. */
export function tipPlaceIndex(tip: {
  tipId: string;
  jurisdiction: string;
  enterprise?: string | undefined;
  address: string;
  receivedAt: string;
}): Record<string, string> {
  const { gsi4pk, gsi5pk } = tipPlacePartitions(tip);
  const sk = `${tip.receivedAt}#${tip.tipId}`;
  return {
    ...(gsi4pk ? { gsi4pk, gsi4sk: sk } : {}),
    ...(gsi5pk ? { gsi5pk, gsi5sk: sk } : {}),
  };
}

/** How many of the newest tips of each place partition a look-up reads: a bounded Query. */
export const samePlaceLimit = 25;

/** The possible duplicates of one tip among others found by its keys, newest first. */
export function duplicatesOf(
  tip: DuplicateCandidate,
  others: readonly DuplicateCandidate[],
): PossibleDuplicate[] {
  const own = featuresOf(tip);
  const seen = new Set<string>([tip.tipId]);
  const found: PossibleDuplicate[] = [];
  for (const other of others) {
    if (seen.has(other.tipId)) continue;
    seen.add(other.tipId);
    const reasons = reasonsAlike(own, featuresOf(other));
    if (reasons.length) found.push({ tipId: other.tipId, reasons });
  }
  return found;
}
