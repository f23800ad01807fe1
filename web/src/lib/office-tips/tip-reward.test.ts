import { describe, expect, it } from 'vitest';
import { jointTipIdsOf } from './tip-reward.ts';

const a = 'abcdefghijklmnopqrstuvwxyz';
const b = 'bbcdefghijklmnopqrstuvwxy2';

describe('the joint tips as typed', () => {
  it('are read one a line, or between commas and spaces, full-width and upper case made plain', () => {
    expect(jointTipIdsOf(`${a}\n${b}`)).toEqual({ tipIds: [a, b], malformed: false, twice: false });
    expect(jointTipIdsOf(` ${a.toUpperCase()}，${b} `).tipIds).toEqual([a, b]);
    expect(jointTipIdsOf(`${a}、${b}`).tipIds).toEqual([a, b]);
    expect(jointTipIdsOf('').tipIds).toEqual([]);
  });

  it('say what is wrong: something that is no tip id, an id twice', () => {
    expect(jointTipIdsOf(`${a} 12345`).malformed).toBe(true);
    expect(jointTipIdsOf(`${a}\n${a}`).twice).toBe(true);
  });
});
