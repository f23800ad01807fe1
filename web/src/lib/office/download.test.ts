import { describe, expect, it } from 'vitest';
import { fileNameOf } from './download.ts';

describe('the name of a downloaded file', () => {
  it('is the UTF-8 name the server gave, Chinese included', () => {
    const name = '统计分析_cq-gecheng_2026-01_2026-12.xlsx';
    expect(
      fileNameOf(
        `attachment; filename="____.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'x.xlsx',
      ),
    ).toBe(name);
  });

  it('falls back to the plain name, then to the page’s own', () => {
    expect(fileNameOf('attachment; filename="a.xlsx"', 'x.xlsx')).toBe('a.xlsx');
    expect(fileNameOf(`attachment; filename*=UTF-8''%E7%ZZ`, 'x.xlsx')).toBe('x.xlsx');
    expect(fileNameOf(null, 'x.xlsx')).toBe('x.xlsx');
  });
});
