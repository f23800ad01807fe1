import { describe, expect, it } from 'vitest';
import { citeStandard } from './citation.ts';

describe('citing a standard and clause', () => {
  it('wraps a bare clause number in 第…条 (clause …)', () => {
    expect(citeStandard({ ref: 'GB 35181-2025', clause: '5.1.1' })).toEqual({
      zh: 'GB 35181-2025，第 5.1.1 条',
      en: 'GB 35181-2025, clause 5.1.1',
    });
  });

  it('cites a clause that already says 第…条 as typed, in both languages', () => {
    const cited = citeStandard({ ref: '建城规〔2023〕4号', clause: '第五条第（二）项' });
    expect(cited).toEqual({
      zh: '建城规〔2023〕4号，第五条第（二）项',
      en: '建城规〔2023〕4号, 第五条第（二）项',
    });
    expect(cited.zh).not.toMatch(/第\s*第/);
    expect(cited.en).not.toContain('clause 第');
  });
});
