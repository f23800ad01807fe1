import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  digitsFromBytes,
  formatReceipt,
  isValidReceipt,
  normalizeReceipt,
  receiptFromDigits,
} from './receipt.ts';

describe('receipts', () => {
  const receipt = receiptFromDigits('4829103855219034');

  it('are 16 digits and 2 check digits, shown in groups of six', () => {
    expect(receipt).toMatch(/^4829103855219034\d{2}$/);
    expect(formatReceipt(receipt)).toMatch(/^\d{6} \d{6} \d{6}$/);
    expect(isValidReceipt(receipt)).toBe(true);
  });

  it('catch every single mistyped digit and every swap of neighbours', () => {
    for (let position = 0; position < receipt.length; position += 1) {
      for (let digit = 0; digit <= 9; digit += 1) {
        if (String(digit) === receipt[position]) continue;
        const typo = receipt.slice(0, position) + digit + receipt.slice(position + 1);
        expect(isValidReceipt(typo), typo).toBe(false);
      }
      const next = receipt[position + 1];
      if (next !== undefined && next !== receipt[position]) {
        const swapped =
          receipt.slice(0, position) + next + receipt[position] + receipt.slice(position + 2);
        expect(isValidReceipt(swapped), swapped).toBe(false);
      }
    }
  });

  it('accept what a phone keyboard types: full-width digits, spaces and dashes', () => {
    const fullWidth = formatReceipt(receipt).replace(/\d/g, (d) =>
      String.fromCharCode(d.charCodeAt(0) + 0xfee0),
    );
    expect(normalizeReceipt(fullWidth)).toBe(receipt);
    expect(normalizeReceipt(receipt.replace(/(\d{6})/g, '$1-'))).toBe(receipt);
    expect(normalizeReceipt('12345')).toBeNull();
    expect(normalizeReceipt(`${receipt}<script>`)).toBeNull();
  });

  it('draw 16 digits from keyed-hash bytes, spread over all digits', () => {
    const counts = new Array(10).fill(0);
    for (let seed = 0; seed < 2000; seed += 1) {
      const bytes = new Uint8Array(createHash('sha256').update(String(seed)).digest());
      const digits = digitsFromBytes(bytes);
      expect(digits).toMatch(/^\d{16}$/);
      counts[Number(digits[15])] += 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(100);
  });
});
