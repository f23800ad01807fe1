import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authorizationMatrixFile, renderAuthorizationMatrix } from './authorization-matrix.ts';
import { routes } from './routes.ts';

describe('the authorization matrix', () => {
  it('is docs/authorization-matrix.md as the route table renders it (else: node shared/src/api/write-authorization-matrix.ts)', () => {
    const committed = readFileSync(authorizationMatrixFile, 'utf8');
    expect(
      committed === renderAuthorizationMatrix(routes),
      'docs/authorization-matrix.md is stale: run node shared/src/api/write-authorization-matrix.ts',
    ).toBe(true);
  });

  it('has a row per route, a column per role, and the scope of each', () => {
    const lines = renderAuthorizationMatrix(routes)
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(lines).toHaveLength(routes.length);
    const listTips = lines.find((line) => line.includes('(listTips)'));
    expect(listTips).toContain('查询参数 `jurisdiction`');
    const getHazard = lines.find((line) => line.includes('(getHazard)'));
    expect(getHazard).toContain('`{hazardId}`');
    expect(getHazard).toContain('404');
    // Anonymous, then officer … administrator: an officer may read a hazard, an
    // administrator may not.
    expect(getHazard?.split(' | ').slice(1, 8)).toEqual(['—', '✓', '✓', '✓', '✓', '—', '—']);
  });
});
