import { describe, expect, it } from 'vitest';
import { excerptOf } from './excerpt.ts';

describe('excerptOf', () => {
  it('keeps a text that fits, with its spaces folded', () => {
    expect(excerptOf('安全出口  被堵\n住', 80)).toBe('安全出口 被堵 住');
  });

  it('ends an English excerpt at a word, never inside one', () => {
    const text = 'The emergency exit of the warehouse is blocked by pallets every night';
    const excerpt = excerptOf(text, 40);
    expect(excerpt).toBe('The emergency exit of the warehouse is…');
    expect([...excerpt].length).toBeLessThanOrEqual(40);
  });

  it('ends a Chinese excerpt at a word and says it was cut', () => {
    const text = '仓库安全出口被货物堵死，疏散通道不畅，夜间经常锁闭，员工无法逃生。';
    const excerpt = excerptOf(text, 12);
    expect([...excerpt].length).toBeLessThanOrEqual(12);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(text.startsWith(excerpt.slice(0, -1))).toBe(true);
    // Not inside 货物 or 堵死: what is kept ends where a word ends.
    expect(['仓库安全出口被货物…', '仓库安全出口被货物堵死…']).toContain(excerpt);
  });

  it('never splits an emoji', () => {
    const excerpt = excerptOf(`${'a'.repeat(8)}🔥🔥🔥🔥`, 10);
    expect(excerpt).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect([...excerpt].length).toBeLessThanOrEqual(10);
  });

  it('cuts one word longer than the room by characters', () => {
    expect(excerptOf('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
