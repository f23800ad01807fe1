import { describe, expect, it } from 'vitest';
import {
  hasValidOrganizationCode,
  isValidUscc,
  isWellFormedUscc,
  normalizeUscc,
  usccAlphabet,
  usccCheckCharacter,
} from './uscc.ts';

/** A seeded generator (mulberry32), so that a failure names the same codes every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The GB 11714 check digit, written out independently of the code under test. */
function organizationCheckDigit(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const values = [...first8].map((character) =>
    '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.indexOf(character),
  );
  const remainder =
    values.reduce((sum, value, index) => sum + value * (weights[index] ?? 0), 0) % 11;
  return ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0'][11 - remainder] ?? '';
}

/** The GB 32100 check character, its weights written as powers of 3 modulo 31. */
function checkCharacter(first17: string): string {
  let sum = 0;
  for (const [index, character] of [...first17].entries()) {
    sum += usccAlphabet.indexOf(character) * 3 ** index;
  }
  return usccAlphabet[(31 - (sum % 31)) % 31] ?? '';
}

/** A code with both checks right. */
function generateUscc(random: () => number): string {
  const pick = (alphabet: string) => alphabet[Math.floor(random() * alphabet.length)] ?? '';
  let first8 = '';
  for (let index = 0; index < 8; index++) first8 += pick(usccAlphabet);
  const division = String(110000 + Math.floor(random() * 549999));
  const first17 = pick('159ANY') + pick('123') + division + first8 + organizationCheckDigit(first8);
  return first17 + checkCharacter(first17);
}

const random = seeded(32100);
const generated = Array.from({ length: 50 }, () => generateUscc(random));
// Published examples: the GB 32100 illustration and a Beijing code from python-stdnum.
const published = ['91350100M000100Y43', '91110000600037341L'];

describe('the unified social credit code', () => {
  it('accepts published codes and generated ones', () => {
    for (const code of [...published, ...generated]) expect(isValidUscc(code), code).toBe(true);
  });

  it('computes the check character, including 0 where the sum is a multiple of 31', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91110000600037341')).toBe('L');
    // Exactly one 17th character makes the sum a multiple of 31.
    const first16 = generated[0]?.slice(0, 16) ?? '';
    const first17 = [...usccAlphabet]
      .map((character) => first16 + character)
      .find((candidate) => checkCharacter(candidate) === '0');
    expect(usccCheckCharacter(first17 ?? '')).toBe('0');
    expect(isValidUscc(`${first17}0`)).toBe(true);
  });

  it('refuses every change of a single character', () => {
    for (const code of [...published, ...generated.slice(0, 10)]) {
      for (let position = 0; position < 18; position++) {
        for (const replacement of usccAlphabet) {
          if (replacement === code[position]) continue;
          const changed = code.slice(0, position) + replacement + code.slice(position + 1);
          expect(isValidUscc(changed), changed).toBe(false);
        }
      }
    }
  });

  it('refuses wrong lengths, forbidden letters and letters in the division', () => {
    const [code = ''] = published;
    expect(isValidUscc(code.slice(0, 17))).toBe(false);
    expect(isValidUscc(`${code}0`)).toBe(false);
    expect(isValidUscc('')).toBe(false);
    for (const forbidden of 'IOZSV') {
      expect(isWellFormedUscc(`${code.slice(0, 8)}${forbidden}${code.slice(9)}`)).toBe(false);
    }
    expect(isWellFormedUscc(`91A50100${code.slice(8)}`)).toBe(false);
    expect(isValidUscc(code.toLowerCase())).toBe(false);
  });

  it('refuses to compute a check character for anything but 17 code characters', () => {
    expect(() => usccCheckCharacter('91350100M000100Y')).toThrow(RangeError);
    expect(() => usccCheckCharacter('91350100M000100YI')).toThrow(RangeError);
  });

  it('normalises what people type: full-width, lower case, spaces and dashes', () => {
    expect(normalizeUscc(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
    expect(normalizeUscc('９１３５０１００Ｍ０００１００Ｙ４３')).toBe('91350100M000100Y43');
    expect(normalizeUscc('ｍ000\u3000100－y43')).toBe('M000100Y43');
    expect(normalizeUscc('9135-0100 M000 100Y 43')).toBe('91350100M000100Y43');
    expect(isValidUscc(normalizeUscc('９１３５０１００ｍ０００１００ｙ４３'))).toBe(true);
  });
});

describe('the organisation code inside it (GB 11714)', () => {
  it('accepts the published and generated codes', () => {
    for (const code of [...published, ...generated]) {
      expect(hasValidOrganizationCode(code), code).toBe(true);
    }
  });

  it('accepts the check digits X (for 10) and 0 (for 11)', () => {
    for (const digit of ['X', '0']) {
      const code = generated.find((candidate) => candidate[16] === digit);
      expect(code, `a generated code with organisation check digit ${digit}`).toBeDefined();
      expect(hasValidOrganizationCode(code ?? '')).toBe(true);
    }
  });

  it('refuses a wrong organisation check digit even where the USCC check is right', () => {
    const [code = ''] = published;
    const wrongDigit = code[16] === '5' ? '6' : '5';
    const first17 = code.slice(0, 16) + wrongDigit;
    const recomputed = first17 + usccCheckCharacter(first17);
    expect(isValidUscc(recomputed)).toBe(true);
    expect(hasValidOrganizationCode(recomputed)).toBe(false);
    expect(hasValidOrganizationCode('not a code')).toBe(false);
  });
});
