/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015: one per legal entity,
 * for life, so the register keys enterprises by it. 18 characters: registration authority
 * (1), entity type (2), administrative division (3–8, digits), organisation code (9–17, of
 * GB 11714), check character (18).
 */
export const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * The weight of position i is 3^i mod 31 (GB 32100 table). Checked against codes issued
 * in Beijing and Fuzhou; a table circulating with 28, 25, 15… from position 11 is wrong.
 */
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const usccShape = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/**
 * The code as it is stored and compared. People type it through input methods that give
 * full-width letters and digits (NFKC makes them ASCII), and copy it with spaces or dashes.
 */
export function normalizeUscc(input: string): string {
  return input.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** Whether the code has the characters of a USCC where GB 32100 puts them (no check). */
export function isWellFormedUscc(code: string): boolean {
  return usccShape.test(code);
}

/** The 18th character for the first 17. */
export function usccCheckCharacter(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17)) {
    throw new RangeError(`not the first 17 characters of a USCC: ${first17}`);
  }
  let sum = 0;
  for (const [index, character] of [...first17].entries()) {
    sum += usccAlphabet.indexOf(character) * (usccWeights[index] ?? 0);
  }
  // 31 − 0 would be 31, which GB 32100 writes as 0.
  return usccAlphabet[(31 - (sum % 31)) % 31] ?? '';
}

/**
 * Whether a code in its normal form (see normalizeUscc) is a USCC with the right check
 * character. It does not check the organisation code's own check digit: see below.
 */
export function isValidUscc(code: string): boolean {
  return isWellFormedUscc(code) && usccCheckCharacter(code.slice(0, 17)) === code[17];
}

/**
 * Whether positions 9–17 of a USCC carry a right GB 11714 check digit (position 17). Kept
 * out of isValidUscc: GB 32100 makes position 18 the code's check, and real codes are known
 * that break even that one (some issued in Xiamen before 2016), so a second check would
 * refuse more real enterprises at the register. Useful as a warning to an officer.
 */
export function hasValidOrganizationCode(uscc: string): boolean {
  if (!isWellFormedUscc(uscc)) return false;
  const organizationCode = uscc.slice(8, 17);
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (const [index, weight] of weights.entries()) {
    // GB 11714 values: digits as themselves, then A = 10 … Z = 35 (base 36).
    sum += Number.parseInt(organizationCode[index] ?? '', 36) * weight;
  }
  const check = 11 - (sum % 11);
  const expected = check === 10 ? 'X' : check === 11 ? '0' : String(check);
  return organizationCode[8] === expected;
}
