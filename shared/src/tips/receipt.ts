/**
 * The tipster's receipt (回执码): the only key to an anonymous tip. 16 digits that nobody
 * can predict without the deployment's secret, plus 2 check digits (ISO 7064 MOD 97-10,
 * as in IBAN) so that a mistyped receipt is caught on the phone before it is ever sent.
 * Shown in three groups of six: 482910 385521 903471.
 */
export const receiptRandomDigits = 16;
export const receiptLength = receiptRandomDigits + 2;

/** MOD 97-10 check digits for a string of digits. */
function checkDigits(digits: string): string {
  // Process in chunks to stay within safe integers.
  let remainder = 0;
  for (const digit of `${digits}00`) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(98 - remainder).padStart(2, '0');
}

/** Builds a receipt from 16 digits (drawn by the server from its keyed function). */
export function receiptFromDigits(randomDigits: string): string {
  if (!/^\d{16}$/.test(randomDigits)) throw new Error('a receipt needs exactly 16 digits');
  return randomDigits + checkDigits(randomDigits);
}

/** Turns 8+ bytes of keyed-hash output into 16 uniformly distributed digits. */
export function digitsFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new Error('need at least 8 bytes');
  let value = 0n;
  for (const byte of bytes.subarray(0, 12)) value = (value << 8n) | BigInt(byte);
  // 96 bits mod 10^16: the bias is below 2^-43, far under any guessing advantage.
  return (value % 10n ** 16n).toString().padStart(16, '0');
}

/**
 * What the tipster typed, made canonical: full-width digits become half-width (NFKC), and
 * spaces, dashes and dots are dropped. Null when it cannot be a receipt.
 */
export function normalizeReceipt(typed: string): string | null {
  const digits = typed.normalize('NFKC').replace(/[\s\-.·_]/g, '');
  if (!/^\d+$/.test(digits) || digits.length !== receiptLength) return null;
  return isValidReceipt(digits) ? digits : null;
}

export function isValidReceipt(receipt: string): boolean {
  if (!/^\d{18}$/.test(receipt)) return false;
  return checkDigits(receipt.slice(0, 16)) === receipt.slice(16);
}

/** For display: 482910 385521 903471. */
export function formatReceipt(receipt: string): string {
  return receipt.replace(/(\d{6})(?=\d)/g, '$1 ');
}
